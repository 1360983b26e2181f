"""Fixtures: real NATS (JetStream) and Redis servers, each test with its own, in a temp dir."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from shared.settings import Settings
from tests.support.people import SECRET
from tests.support.servers import Server, nats_server, redis_server, running


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
