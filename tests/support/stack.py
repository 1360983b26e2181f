"""`podium up` as a user runs it, for the tests of the whole stack (e2e, faults): started on
free ports in a temp dir, ready once it says so, and never left running."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from services.tools.stack.servers import die_with_parent
from tests.support.processes import children_of
from tests.support.servers import free_port
from tests.support.subprocesses import podium_env

PODIUM = [sys.executable, "-m", "services"]
READY_WITHIN_S = 60
# What each part's command line holds, to find its process.
PARTS = {
    "ranking": "services ranking",
    "intake": "services intake",
    "broadcast": "services broadcast",
    "nats-server": "nats-server",
    "redis-server": "redis-server",
}


class Stack:
    def __init__(self, process: subprocess.Popen[str], ports: dict[str, int], data_dir: Path):
        self.process = process
        self.ports = ports
        self.data_dir = data_dir
        self.output: list[str] = []

    def url(self, part: str, scheme: str = "http") -> str:
        return f"{scheme}://127.0.0.1:{self.ports[part]}"


def launch(
    tmp_path: Path, extra: list[str], settings: dict[str, str] | None = None
) -> Iterator[Stack]:
    """`podium up` on free ports; `settings`: PODIUM_* variables of its environment."""
    ports = {name: free_port() for name in ("intake", "broadcast", "ranking", "nats", "redis")}
    argv = [*PODIUM, "up", "--data-dir", str(tmp_path / "data"), *extra]
    argv += [arg for name, port in ports.items() for arg in (f"--{name}-port", str(port))]
    env = podium_env(settings or {})
    with (tmp_path / "stderr.log").open("w") as stderr:
        process = subprocess.Popen(
            argv,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            env=env,
            preexec_fn=die_with_parent,  # a killed test run takes the stack with it
        )
    started = Stack(process, ports, tmp_path / "data")
    try:
        yield started
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        assert process.stdout is not None
        process.stdout.close()


def wait_ready(stack: Stack) -> float:
    began = time.monotonic()
    assert stack.process.stdout is not None
    for line in stack.process.stdout:
        stack.output.append(line)
        if line.startswith("podium: ready"):
            ready_s = time.monotonic() - began
            stack.output += [stack.process.stdout.readline() for _ in range(6)]
            return ready_s
        if time.monotonic() - began > READY_WITHIN_S:
            break
    errors = (stack.data_dir.parent / "stderr.log").read_text(errors="replace")[-3000:]
    raise AssertionError(f"podium up never became ready: {stack.output}\n{errors}")


def token(expert: str, data_dir: Path) -> str:
    env = podium_env({})
    argv = [*PODIUM, "token", expert, "--data-dir", str(data_dir)]
    return subprocess.run(argv, check=True, capture_output=True, text=True, env=env).stdout.strip()


def pid_of(stack: Stack, part: str) -> int | None:
    for pid in children_of(stack.process.pid):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if PARTS[part] in cmdline:
            return pid
    return None
