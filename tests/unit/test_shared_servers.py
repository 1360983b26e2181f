"""A server the whole test session shares refuses to be stopped, killed or started again, so a
test that forgets `own_servers` fails itself rather than the tests after it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.servers import Server


@pytest.mark.parametrize("act", [Server.stop, Server.kill, Server.start])
def test_a_lent_server_refuses_to_stop_kill_or_start(
    act: Callable[[Server], None], tmp_path: Path
) -> None:
    server = Server("nats-server", ["nats-server"], 4222, tmp_path / "log", lent=True)
    with pytest.raises(AssertionError, match="own_servers"):
        act(server)
    assert server.process is None
