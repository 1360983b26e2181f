"""`podium up`: NATS, Redis and the three services as child processes, kept alive.

Each part is its own process. A part that dies is restarted with backoff; SIGINT or SIGTERM
stops them all, newest first, and nothing is left running (children also get SIGTERM from
the kernel if this process is killed outright).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from services.tools.championship import encoded
from services.tools.stack.servers import binary, die_with_parent, nats_conf
from shared.organiser import load
from shared.plumbing import logs
from shared.plumbing.settings import as_env

log = logging.getLogger("podium.up")

READY_TIMEOUT_S = 60.0
# How many times a part that exits while starting is started before `podium up` gives up.
START_ATTEMPTS = 4
BACKOFF_START_S = 0.5
BACKOFF_MAX_S = 15.0
# A part that stayed up this long is healthy again: its next crash restarts it at once.
STABLE_AFTER_S = 30.0
STOP_GRACE_S = 8.0


@dataclass
class Part:
    name: str
    argv: list[str]
    env: dict[str, str]
    port: int
    # HTTP path that answers 200 once ready; None for a server that is ready when it listens.
    ready_path: str | None = "/readyz"
    # The demo ends by itself when the day is marked; only a failure restarts it.
    restart_after_success: bool = True
    # Servers write their own log format to a file in the data dir; services log JSON lines.
    log_file: Path | None = None
    process: asyncio.subprocess.Process | None = None
    started: float = 0.0
    failures: int = 0
    done: bool = False


@dataclass
class Stack:
    parts: list[Part]
    host: str
    stopping: asyncio.Event = field(default_factory=asyncio.Event)


def run(args: argparse.Namespace, championship: Path, secret: str) -> int:
    logs.configure("up")
    checked = load(championship)  # refuses a bad file before anything starts
    data_dir: Path = args.data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    # Every part reads the championship as it was checked here, in one self-contained file:
    # a workbook edited while the stack runs cannot give a restarted part another scheme,
    # and no part spends seconds reading workbooks again.
    snapshot = data_dir / "championship.json"
    snapshot.write_bytes(encoded(checked))
    stack = Stack(plan(args, snapshot, secret, data_dir), args.host)
    return asyncio.run(supervise(stack, args))


def plan(args: argparse.Namespace, championship: Path, secret: str, data_dir: Path) -> list[Part]:
    host = args.host
    nats_url = args.nats_url or f"nats://127.0.0.1:{args.nats_port}"
    redis_url = args.redis_url or f"redis://127.0.0.1:{args.redis_port}/0"
    env = os.environ | as_env(
        nats_url=nats_url,
        redis_url=redis_url,
        championship=championship.resolve(),
        secret=secret,
        host=host,
        intake_port=args.intake_port,
        broadcast_port=args.broadcast_port,
        ranking_port=args.ranking_port,
    )
    parts: list[Part] = []
    if not args.nats_url:
        parts.append(nats_part(data_dir, args.nats_port, env))
    if not args.redis_url:
        parts.append(redis_part(data_dir, args.redis_port, env))
    podium = [sys.executable, "-m", "services"]
    parts += [
        Part("ranking", [*podium, "ranking"], env, args.ranking_port),
        Part("intake", [*podium, "intake"], env, args.intake_port),
        Part("broadcast", [*podium, "broadcast"], env, args.broadcast_port),
    ]
    if args.demo:
        demo = [*podium, "demo", "--intake", f"http://127.0.0.1:{args.intake_port}"]
        demo += ["--rate", str(args.demo_rate), "--championship", str(championship.resolve())]
        parts.append(Part("demo", demo, env, 0, ready_path=None, restart_after_success=False))
    return parts


def nats_part(data_dir: Path, port: int, env: dict[str, str]) -> Part:
    argv = [binary("nats-server"), "-c", str(nats_conf(data_dir, port))]
    return Part("nats", argv, env, port, ready_path=None, log_file=data_dir / "nats.log")


def redis_part(data_dir: Path, port: int, env: dict[str, str]) -> Part:
    store = data_dir / "redis"
    store.mkdir(exist_ok=True)
    argv = [
        binary("redis-server"),
        "--port", str(port),
        "--bind", "127.0.0.1",
        "--dir", str(store),
        "--save", "",
        "--appendonly", "yes",
        "--daemonize", "no",
    ]  # fmt: skip
    return Part("redis", argv, env, port, ready_path=None, log_file=data_dir / "redis.log")


async def start(part: Part) -> None:
    log_file = part.log_file.open("ab") if part.log_file else None
    part.process = await asyncio.create_subprocess_exec(
        *part.argv,
        env=part.env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=log_file,
        stderr=log_file,
        start_new_session=True,  # Ctrl-C reaches `podium up`, which stops the parts in order
        preexec_fn=die_with_parent,
    )
    if log_file is not None:
        log_file.close()  # the child holds its own copy
    part.started = time.monotonic()
    log.info("part started", extra={"part": part.name, "pid": part.process.pid})


async def ready(part: Part, host: str) -> bool:
    """Whether the part answers: its port listens, and its readiness check says 200."""
    address = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    if part.ready_path is None and part.port == 0:
        return True
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(address, part.port), 1)
    except (OSError, TimeoutError):
        return False
    try:
        if part.ready_path is None:
            return True
        request = f"GET {part.ready_path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
        writer.write(request.encode())
        status = await asyncio.wait_for(reader.readline(), 2)
        return status.split()[1:2] == [b"200"]
    except (OSError, TimeoutError, IndexError):
        return False
    finally:
        writer.close()


async def wait_ready(part: Part, stack: Stack) -> bool:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline and not stack.stopping.is_set():
        if part.process is not None and part.process.returncode is not None:
            return False
        if await ready(part, stack.host):
            return True
        await asyncio.sleep(0.1)
    return False


async def first_start(part: Part, stack: Stack) -> bool:
    """Start a part and wait until it is ready. One that exits while starting is started again
    with backoff, a few times: a service can lose a race with a server that listens before it
    serves (JetStream still reading its store), and a busy machine makes that likelier."""
    for attempt in range(1, START_ATTEMPTS + 1):
        await start(part)
        if await wait_ready(part, stack):
            return True
        code = part.process.returncode if part.process is not None else None
        if stack.stopping.is_set() or code is None or attempt == START_ATTEMPTS:
            return False
        delay = BACKOFF_START_S * 2 ** (attempt - 1)
        log.warning(
            "part exited while starting; starting it again",
            extra={"part": part.name, "code": code, "backoff_s": delay},
        )
        await asyncio.sleep(delay)
    return False


async def supervise(stack: Stack, args: argparse.Namespace) -> int:
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stack.stopping.set)
    began = time.monotonic()
    try:
        for part in stack.parts:
            if not await first_start(part, stack):
                if not stack.stopping.is_set():
                    print(f"podium: {part.name} did not become ready", file=sys.stderr)
                    return 1
                return 0
        print(f"podium: ready in {time.monotonic() - began:.1f}s", flush=True)
        print(urls(args), flush=True)
        await keep_alive(stack)
        return 0
    finally:
        await stop(stack)


def urls(args: argparse.Namespace) -> str:
    host = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
    board, intake = f"http://{host}:{args.broadcast_port}", f"http://{host}:{args.intake_port}"
    return "\n".join(
        [
            f"  spectators {board}/?lang=en",
            f"  display    {board}/display?lang=en",
            f"  standings  {board}/api/standings",
            f"  live feed  ws://{host}:{args.broadcast_port}/ws",
            f"  intake     {intake}/api/marks",
            f"  metrics    {board}/metrics  {intake}/metrics",
            f"  screens    {intake}/screens  (venue crew: organizers sign in with #token=…)",
            f"  ceremony   {intake}/ceremony",
        ]
    )


async def keep_alive(stack: Stack) -> None:
    """Restart any part that exits, with backoff, until asked to stop."""
    while not stack.stopping.is_set():
        waits = {
            asyncio.ensure_future(p.process.wait()): p
            for p in stack.parts
            if p.process is not None and not p.done
        }
        stopping = asyncio.ensure_future(stack.stopping.wait())
        finished, _ = await asyncio.wait([*waits, stopping], return_when=asyncio.FIRST_COMPLETED)
        for waiter in [*waits, stopping]:
            if waiter not in finished:
                waiter.cancel()
        if stack.stopping.is_set():
            return
        for waiter in finished:
            if waiter in waits:
                await restart(waits[waiter], stack)


async def restart(part: Part, stack: Stack) -> None:
    assert part.process is not None
    code = part.process.returncode
    if code == 0 and not part.restart_after_success:
        log.info("part finished", extra={"part": part.name})
        part.done = True
        return
    ran = time.monotonic() - part.started
    part.failures = 1 if ran > STABLE_AFTER_S else part.failures + 1
    delay = min(BACKOFF_MAX_S, BACKOFF_START_S * 2 ** (part.failures - 1))
    log.warning(
        "part exited; restarting",
        extra={"part": part.name, "code": code, "ran_s": round(ran, 1), "backoff_s": delay},
    )
    try:
        await asyncio.wait_for(stack.stopping.wait(), delay)
        return
    except TimeoutError:
        pass
    await start(part)


async def stop(stack: Stack) -> None:
    """Stop the services before the servers they need, so none logs a lost connection."""
    for part in reversed(stack.parts):
        process = part.process
        if process is None or process.returncode is not None:
            continue
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), STOP_GRACE_S)
        except TimeoutError:
            log.warning("part did not stop; killing it", extra={"part": part.name})
            process.kill()
            await process.wait()
    log.info("stopped")
