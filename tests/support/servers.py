"""Real nats-server and redis-server processes for tests: free ports, a temporary dir each.
A server may be lent to a whole test session (tests/conftest.py); lent, it refuses to be stopped,
since the next test would find it gone."""

from __future__ import annotations

import contextlib
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from services.tools.stack.servers import binary, die_with_parent, nats_conf
from tests.support.eventually import eventually_sync

START_TIMEOUT_S = 10.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_listening(port: int, process: subprocess.Popen[bytes], name: str) -> None:
    def listening() -> bool:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}")
        with socket.create_connection(("127.0.0.1", port), 0.2):
            return True

    eventually_sync(
        listening,
        within=START_TIMEOUT_S,
        every=0.02,
        ignoring=(OSError,),
        what=f"{name} listening on {port}",
    )


@dataclass
class Server:
    """A server process that a test may stop and start again on the same port and data."""

    name: str
    argv: list[str]
    port: int
    log: Path
    process: subprocess.Popen[bytes] | None = None
    lent: bool = False

    def start(self) -> None:
        self.refuse_if_lent("start")
        with self.log.open("ab") as out:
            # If the test run itself is killed, the kernel stops the server too.
            self.process = subprocess.Popen(
                self.argv, stdout=out, stderr=out, preexec_fn=die_with_parent
            )
        wait_listening(self.port, self.process, self.name)

    def stop(self) -> None:
        self.refuse_if_lent("stop")
        self.end()

    def kill(self) -> None:
        self.refuse_if_lent("kill")
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def refuse_if_lent(self, what: str) -> None:
        if self.lent:
            raise AssertionError(
                f"a test may not {what} the {self.name} the whole session shares: "
                "mark it `own_servers` (tests/conftest.py)"
            )

    def end(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def nats_server(data_dir: Path) -> Server:
    data_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    argv = [binary("nats-server"), "-c", str(nats_conf(data_dir, port))]
    return Server("nats-server", argv, port, data_dir / "nats.log")


def redis_server(data_dir: Path) -> Server:
    data_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    argv = [binary("redis-server"), "--port", str(port), "--bind", "127.0.0.1"]
    argv += ["--dir", str(data_dir), "--save", "", "--appendonly", "no"]
    return Server("redis-server", argv, port, data_dir / "redis.log")


@contextlib.contextmanager
def running(server: Server) -> Iterator[Server]:
    server.start()
    try:
        yield server
    finally:
        server.end()


@contextlib.contextmanager
def lent(server: Server) -> Iterator[Server]:
    """Running, and refusing to be stopped until the block ends: for a server many tests share."""
    with running(server):
        server.lent = True
        try:
            yield server
        finally:
            server.lent = False
