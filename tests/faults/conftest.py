"""Faults: real processes killed, servers taken away, and floods of generated requests; minutes,
not seconds. Every test here is marked `faults` (tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.subprocesses import UNLIMITED, IntakeAlone, intake_alone


@pytest.fixture(scope="module")
def intake_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IntakeAlone]:
    with intake_alone(tmp_path_factory.mktemp("intake"), UNLIMITED) as started:
        yield started
