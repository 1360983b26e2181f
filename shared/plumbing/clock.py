"""Timestamps as the API shows them: UTC, milliseconds, `Z`."""

import functools
import time


def iso(ts: float) -> str:
    return _second(int(ts // 1)) + f".{int(ts % 1 * 1000):03d}Z"


# Every mark and log line is stamped, many within the same second: format each second once.
@functools.lru_cache(maxsize=8)
def _second(whole: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole))


def iso_now() -> str:
    return iso(time.time())
