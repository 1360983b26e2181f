"""`podium up` starts a part again when it exits while starting, and gives up in the end."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from services.tools.stack.supervisor import Part, Stack, first_start, stop
from tests.support.servers import free_port

# Exits at its first start (as a service racing a server that is not serving yet), then listens.
FLAKY = """
import pathlib, socket, sys, time
marker = pathlib.Path(sys.argv[1])
if not marker.exists():
    marker.touch()
    sys.exit(3)
with socket.create_server(("127.0.0.1", int(sys.argv[2]))):
    time.sleep(60)
"""


async def test_a_part_that_exits_while_starting_is_started_again(tmp_path: Path) -> None:
    port = free_port()
    argv = [sys.executable, "-c", FLAKY, str(tmp_path / "tried"), str(port)]
    part = Part("flaky", argv, dict(os.environ), port, ready_path=None)
    stack = Stack([part], "127.0.0.1")
    try:
        assert await first_start(part, stack)
    finally:
        await stop(stack)


async def test_a_part_that_never_starts_is_given_up(tmp_path: Path) -> None:
    part = Part("broken", [sys.executable, "-c", "raise SystemExit(3)"], {}, free_port(), None)
    stack = Stack([part], "127.0.0.1")
    assert not await first_start(part, stack)
    assert part.process is not None and part.process.returncode == 3
