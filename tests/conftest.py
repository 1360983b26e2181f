"""What the test folders share: real NATS (JetStream) and Redis servers (for tests/integration,
tests/e2e and tests/faults), and the markers put on every test of their kind. Each folder's
conftest.py holds its own fixtures.

One nats-server and one redis-server serve the whole session, emptied before each test that
asks for them (tests/support/reset.py): starting a pair per test cost more than most tests.
A test that stops, kills or restarts a server gets a pair of its own: mark it `own_servers`
(everything marked `faults` is); a shared server refuses to be stopped, so a test that forgets
fails at once instead of breaking the next ones."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest

from shared.plumbing.settings import Settings
from tests.support.people import SECRET
from tests.support.reset import reset_nats, reset_redis
from tests.support.servers import Server, lent, nats_server, redis_server, running

FAULTS = Path(__file__).parent / "faults"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """`faults` on everything in tests/faults, `browser` on everything that drives Chromium,
    so `-m "not faults and not browser"` leaves out exactly those."""
    for item in items:
        if item.path.is_relative_to(FAULTS):
            item.add_marker(pytest.mark.faults)
        if item.get_closest_marker("faults"):
            # Faults kill processes on purpose; their servers see it alone.
            item.add_marker(pytest.mark.own_servers)
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
    # The long ones first, the faults' then the browser's (a stable sort: each module keeps its
    # order). On two workers (`make test`) they start at once and the hundreds of short tests
    # fill in beside them, rather than two long ones queueing at the end.
    items.sort(key=lambda item: [not item.get_closest_marker(m) for m in ("faults", "browser")])


@pytest.fixture(scope="session")
def shared_nats(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with lent(nats_server(tmp_path_factory.mktemp("nats"))) as server:
        yield server


@pytest.fixture(scope="session")
def shared_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with lent(redis_server(tmp_path_factory.mktemp("redis"))) as server:
        yield server


def serving(
    request: pytest.FixtureRequest,
    own: Callable[[], Server],
    shared: str,
    reset: Callable[[str], None],
    url: str,
) -> Iterator[Server]:
    """A server of the test's own if it is marked `own_servers`, else the session's, emptied."""
    if request.node.get_closest_marker("own_servers") is not None:
        with running(own()) as server:
            yield server
        return
    lent_server: Server = request.getfixturevalue(shared)
    reset(url.format(port=lent_server.port))
    yield lent_server


@pytest.fixture
def nats(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Server]:
    own = partial(nats_server, tmp_path / "nats")
    yield from serving(request, own, "shared_nats", reset_nats, "nats://127.0.0.1:{port}")


@pytest.fixture
def redis(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Server]:
    own = partial(redis_server, tmp_path / "redis")
    yield from serving(request, own, "shared_redis", reset_redis, "redis://127.0.0.1:{port}/0")


@pytest.fixture
def settings(nats: Server, redis: Server) -> Settings:
    return Settings(
        nats_url=f"nats://127.0.0.1:{nats.port}",
        redis_url=f"redis://127.0.0.1:{redis.port}/0",
        secret=SECRET,
    )
