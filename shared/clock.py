"""Timestamps as the API shows them: UTC, milliseconds, `Z`."""

import time


def iso(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ts)) + f".{int(ts % 1 * 1000):03d}Z"


def iso_now() -> str:
    return iso(time.time())
