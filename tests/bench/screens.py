"""The screens: many WebSocket connections, in client processes apart from the server.

Each client process opens its share of the screens, subscribes each to one channel and notes
when each frame arrives (a monotonic clock that all processes on the machine share) and its
version. Three dialects: podium's feed, the bare baseline (the same subscribe message) and
Socket.IO (Engine.IO v4 packets over the same WebSocket client, so every server is read by
the same client code and only the servers differ).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import multiprocessing
import re
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

from tests.bench.servers import raise_open_files
from tests.bench.stats import latencies

VERSION = re.compile(rb'"version":\s*(\d+)')
# Connections opened at once by one client process: more overflow the server's accept queue.
OPENING_AT_ONCE = 64
FINAL_WAIT_S = 20.0


@dataclass
class Screen:
    versions: list[int] = field(default_factory=list)
    arrivals: list[float] = field(default_factory=list)
    largest_frame: int = 0
    # Set once a frame at or past `final` arrived; the end of a run waits for it.
    final: int = -1
    caught_up: asyncio.Event = field(default_factory=asyncio.Event)

    def expect(self, final: int) -> None:
        """A new run ends at `final`: the screen is caught up once it has that version."""
        self.final = final
        self.caught_up.clear()
        if self.version >= final:
            self.caught_up.set()

    def got(self, frame: bytes) -> None:
        at = time.perf_counter()
        found = VERSION.search(frame)
        if found is None:
            return
        version = int(found.group(1))
        if not self.versions or version > self.versions[-1]:
            self.versions.append(version)
            self.arrivals.append(at)
            if self.final >= 0 and version >= self.final:
                self.caught_up.set()
        self.largest_frame = max(self.largest_frame, len(frame))

    @property
    def version(self) -> int:
        return self.versions[-1] if self.versions else -1


@dataclass(frozen=True)
class Plan:
    url: str
    dialect: str  # "feed" (podium and the bare baseline) or "socketio"
    channel: str
    screens: int


async def subscribe(ws: ClientConnection, plan: Plan) -> None:
    if plan.dialect == "socketio":
        await ws.recv()  # Engine.IO open
        await ws.send("40")  # connect to the default namespace
        await ws.recv()  # its answer
        await ws.send("42" + json.dumps(["subscribe", plan.channel]))
    else:
        await ws.send(json.dumps({"op": "subscribe", "channel": plan.channel}))


async def watch(plan: Plan, screen: Screen, opened: asyncio.Event, gate: asyncio.Semaphore) -> None:
    async with gate:
        ws = await connect(plan.url, max_size=None, open_timeout=60, ping_interval=None)
        await subscribe(ws, plan)
    async with ws:
        async for message in ws:
            frame = message.encode() if isinstance(message, str) else message
            if plan.dialect == "socketio" and frame == b"2":
                await ws.send("3")  # Engine.IO ping, pong
                continue
            screen.got(frame)
            opened.set()


async def swarm(plan: Plan, pipe: Connection) -> None:
    """Open the screens, say when all have their first frame, then report on request."""
    screens = [Screen() for _ in range(plan.screens)]
    opened = [asyncio.Event() for _ in screens]
    gate = asyncio.Semaphore(OPENING_AT_ONCE)
    tasks = [
        asyncio.create_task(watch(plan, s, o, gate)) for s, o in zip(screens, opened, strict=True)
    ]
    loop = asyncio.get_running_loop()
    # Until every screen has its first frame, or one of them fails.
    waiting: list[asyncio.Future[Any]] = [asyncio.gather(*(o.wait() for o in opened)), *tasks]
    await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
    failed = [t for t in tasks if t.done()]
    if failed:
        error = failed[0].exception()
        pipe.send({"error": repr(error or "closed by the server"), "failed": len(failed)})
        return
    pipe.send({"ready": len(screens)})
    # One run after another on the same screens (one per rate), until told to stop. A run's
    # marks have sequences above every earlier run's, so earlier frames never count for them.
    while "final" in (order := await loop.run_in_executor(None, pipe.recv)):
        final = int(order["final"])
        for screen in screens:
            screen.expect(final)
        with contextlib.suppress(TimeoutError):
            everyone = asyncio.gather(*(s.caught_up.wait() for s in screens))
            await asyncio.wait_for(everyone, FINAL_WAIT_S)
        posted = order["posted"]
        found: list[float] = []
        for screen in screens:
            found += latencies(posted, screen.versions, screen.arrivals)
        pipe.send(
            {
                "latencies_ms": found,
                "missed_final": sum(s.version < final for s in screens),
                "frame_bytes": max(s.largest_frame for s in screens),
            }
        )
    for task in tasks:
        task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await asyncio.gather(*tasks, return_exceptions=True)


def client_process(plan: Plan, pipe: Connection) -> None:
    raise_open_files()
    try:
        import uvloop

        uvloop.run(swarm(plan, pipe))
    except ImportError:
        asyncio.run(swarm(plan, pipe))


@dataclass
class Swarm:
    """Client processes holding `screens` connections between them."""

    plan: Plan
    processes: int
    pipes: list[Connection] = field(default_factory=list)
    workers: list[multiprocessing.process.BaseProcess] = field(default_factory=list)

    def start(self) -> None:
        context = multiprocessing.get_context("spawn")
        share, extra = divmod(self.plan.screens, self.processes)
        for n in range(self.processes):
            count = share + (1 if n < extra else 0)
            if count == 0:
                continue
            mine, theirs = context.Pipe()
            plan = Plan(self.plan.url, self.plan.dialect, self.plan.channel, count)
            worker = context.Process(target=client_process, args=(plan, theirs), daemon=True)
            worker.start()
            self.pipes.append(mine)
            self.workers.append(worker)

    def wait_open(self, timeout: float) -> None:
        for pipe in self.pipes:
            if not pipe.poll(timeout):
                raise TimeoutError("screens did not all open in time")
            answer = pipe.recv()
            if "error" in answer:
                raise RuntimeError(f"{answer['failed']} screen(s) failed: {answer['error']}")

    def results(self, final: int, posted: list[tuple[int, float]]) -> dict[str, Any]:
        for pipe in self.pipes:
            pipe.send({"final": final, "posted": posted})
        found: list[float] = []
        missed = frame = 0
        for pipe in self.pipes:
            answer = pipe.recv()
            found += answer["latencies_ms"]
            missed += answer["missed_final"]
            frame = max(frame, answer["frame_bytes"])
        return {"latencies_ms": found, "missed_final": missed, "frame_bytes": frame}

    def stop(self) -> None:
        for pipe in self.pipes:
            with contextlib.suppress(OSError):
                pipe.send({"stop": True})
        for worker in self.workers:
            worker.join(10)
            if worker.is_alive():
                worker.terminate()
                worker.join()
