"""The servers a benchmark measures: NATS, Redis and podium's three services as processes of
their own, on free ports, with their data in a temporary directory that nothing else uses."""

from __future__ import annotations

import contextlib
import os
import resource
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from services.tools.stack.servers import binary, die_with_parent, nats_conf
from shared.plumbing.settings import Settings
from tests.support.servers import free_port

SECRET = "bench-secret-not-for-production-0123456789"
READY_TIMEOUT_S = 60.0


def raise_open_files() -> int:
    """Lift this process's soft limit on open files to the hard one; returns the new limit."""
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def rss_kib(pid: int) -> int:
    """Resident memory of a process, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def cpu_seconds(pid: int) -> float:
    """CPU time a process's threads have used so far, in nanoseconds from the scheduler
    (/proc/PID/task/*/schedstat), not in the clock ticks of /proc/PID/stat (10 ms here)."""
    used = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):  # a thread that ended meanwhile
            used += int((task / "schedstat").read_text().split()[0])
    return used / 1e9


def wait_listening(port: int, alive: Callable[[], bool], name: str) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if not alive():
            raise RuntimeError(f"{name} exited")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.02)
    raise RuntimeError(f"{name} did not listen on {port}")


def wait_ready(url: str, process: subprocess.Popen[bytes], name: str) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=1).status_code == 200:
                return
        time.sleep(0.1)
    raise RuntimeError(f"{name} not ready at {url}")


@dataclass
class Processes:
    """Processes started for one benchmark, stopped newest first at the end."""

    root: Path
    running: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def start(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> int:
        with (self.root / f"{name}.log").open("ab") as out:
            process = subprocess.Popen(
                argv, stdout=out, stderr=out, env=env, preexec_fn=die_with_parent
            )
        self.running[name] = process
        return process.pid

    def alive(self, name: str) -> Callable[[], bool]:
        return lambda: self.running[name].poll() is None

    def pid(self, name: str) -> int:
        return self.running[name].pid

    def stop(self) -> None:
        for process in reversed(self.running.values()):
            if process.poll() is None:
                process.terminate()
        for process in self.running.values():
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextlib.contextmanager
def processes(root: Path) -> Iterator[Processes]:
    started = Processes(root)
    try:
        yield started
    finally:
        started.stop()


def start_servers(started: Processes) -> Settings:
    """A nats-server (JetStream, fsync on every write, as `podium up`) and a redis-server."""
    root = started.root
    nats_port, redis_port = free_port(), free_port()
    (root / "redis").mkdir()
    started.start("nats", [binary("nats-server"), "-c", str(nats_conf(root, nats_port))])
    redis = [binary("redis-server"), "--port", str(redis_port), "--bind", "127.0.0.1"]
    redis += ["--save", "", "--appendonly", "yes", "--dir", str(root / "redis")]
    started.start("redis", redis)
    for name, port in (("nats", nats_port), ("redis", redis_port)):
        wait_listening(port, started.alive(name), name)
    return Settings(
        nats_url=f"nats://127.0.0.1:{nats_port}",
        redis_url=f"redis://127.0.0.1:{redis_port}/0",
        secret=SECRET,
    )


@dataclass(frozen=True)
class Endpoints:
    """Where a benchmark reaches the services it started (`podium up`'s own stack, started
    by the tests, is tests/support/stack.py's Stack)."""

    settings: Settings
    intake: str
    broadcast: str


SERVICES = ("ranking", "intake", "broadcast")


def start_stack(started: Processes) -> Endpoints:
    """NATS, Redis and podium's services, each its own process, as `podium up` runs them."""
    settings = start_servers(started)
    ports = {name: free_port() for name in SERVICES}
    env = {
        **os.environ,
        "PODIUM_NATS_URL": settings.nats_url,
        "PODIUM_REDIS_URL": settings.redis_url,
        "PODIUM_SECRET": settings.secret,
        "PODIUM_HOST": "127.0.0.1",
        # Every screen of the benchmark comes from 127.0.0.1; a venue's come from many addresses.
        "PODIUM_FEED_PER_ADDRESS": "100000",
        # The load comes from one address and one token per expert: the abuse limits (0: off)
        # would measure themselves, not intake.
        "PODIUM_RATE_ADDRESS_PER_S": "0",
        "PODIUM_RATE_TOKEN_PER_S": "0",
        **{f"PODIUM_{name.upper()}_PORT": str(port) for name, port in ports.items()},
    }
    for name in SERVICES:
        started.start(name, [sys.executable, "-m", "services", name], env)
        url = f"http://127.0.0.1:{ports[name]}/readyz"
        wait_ready(url, started.running[name], name)
    return Endpoints(
        settings,
        intake=f"http://127.0.0.1:{ports['intake']}",
        broadcast=f"http://127.0.0.1:{ports['broadcast']}",
    )
