"""What the test folders share: real NATS (JetStream) and Redis servers, each test with its own
in a temp dir (for tests/integration and tests/faults), and the markers put on every test of
their kind. Each folder's conftest.py holds its own fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from shared.plumbing.settings import Settings
from tests.support.people import SECRET
from tests.support.servers import Server, nats_server, redis_server, running

FAULTS = Path(__file__).parent / "faults"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """`faults` on everything in tests/faults, `browser` on everything that drives Chromium,
    so `-m "not faults and not browser"` leaves out exactly those."""
    for item in items:
        if item.path.is_relative_to(FAULTS):
            item.add_marker(pytest.mark.faults)
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def nats(tmp_path: Path) -> Iterator[Server]:
    with running(nats_server(tmp_path / "nats")) as server:
        yield server


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[Server]:
    with running(redis_server(tmp_path / "redis")) as server:
        yield server


@pytest.fixture
def settings(nats: Server, redis: Server) -> Settings:
    return Settings(
        nats_url=f"nats://127.0.0.1:{nats.port}",
        redis_url=f"redis://127.0.0.1:{redis.port}/0",
        secret=SECRET,
    )
