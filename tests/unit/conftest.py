"""Pure and fast: no server, no network, no process. A test that needs one belongs in
tests/integration (one service) or tests/e2e (the whole stack)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from typing import Any, NoReturn

import pytest


class NoProcesses(subprocess.Popen):  # type: ignore[type-arg]
    def __init__(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AssertionError("a unit test started a process: move it to tests/integration")


@pytest.fixture(autouse=True, scope="module")
def no_processes() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(subprocess, "Popen", NoProcesses)
        yield
