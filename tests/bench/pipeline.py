"""Where a mark's time goes on its way to one screen, stage by stage, and each process's CPU.

An expert posts marks at a steady pace to the real stack with one screen open. A NATS
observer on the same server notes when each stage's message passes:

- published: intake's command reaches NATS (`podium.commands.>`);
- stored: JetStream acknowledges it to intake, once fsynced (the publish ack, which any
  subscriber to `_INBOX.>` sees on its way to intake);
- answered: intake's 201 is back at the expert;
- board published: ranking's standings snapshot whose version includes the mark;
- on the screen: the screen's first frame that includes it.

Every time is taken on this process's one clock, from the POST's start. Beside them, the CPU
each process used per mark beyond what it uses idle (measured over the same length of time
with no marks), from the scheduler's nanoseconds.
"""

from __future__ import annotations

import asyncio
import bisect
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import msgspec
import nats
from nats.aio.msg import Msg

from shared import subjects
from shared.championship import Championship
from tests.bench.latency import CHANNEL, SKILL, WARM_UP_MARKS, podium_post
from tests.bench.servers import Endpoints, Processes, cpu_seconds
from tests.bench.stats import summary

PROCESSES = ("intake", "ranking", "broadcast", "nats", "redis")
STAGES = ("published", "stored", "answered", "board_published", "on_screen")


class PubAck(msgspec.Struct):
    """JetStream's publish ack: one message's seq, or a batch's last seq and its count."""

    stream: str = ""
    seq: int = 0
    count: int = 1


class Versioned(msgspec.Struct):
    version: int = -1


class Published(msgspec.Struct):
    standings: Versioned


pub_acks = msgspec.json.Decoder(PubAck)
published_boards = msgspec.json.Decoder(Published)


@dataclass
class Observed:
    """When each stage was seen: times in arrival order, or by the seq they include."""

    published: list[float] = field(default_factory=list)
    stored: dict[int, float] = field(default_factory=dict)
    boards: list[tuple[int, float]] = field(default_factory=list)
    frames: list[tuple[int, float]] = field(default_factory=list)

    async def on_command(self, message: Msg) -> None:
        self.published.append(time.perf_counter())

    async def on_inbox(self, message: Msg) -> None:
        if b'"stream":"' + subjects.COMMANDS_STREAM.encode() not in message.data:
            return
        with_ack = pub_acks.decode(message.data)
        for seq in range(with_ack.seq - with_ack.count + 1, with_ack.seq + 1):
            self.stored.setdefault(seq, time.perf_counter())

    async def on_board(self, message: Msg) -> None:
        version = published_boards.decode(message.data).standings.version
        self.boards.append((version, time.perf_counter()))


def first_at_or_after(seen: Sequence[float], moment: float) -> float | None:
    at = bisect.bisect_left(seen, moment)
    return seen[at] if at < len(seen) else None


def first_including(seen: Sequence[tuple[int, float]], seq: int) -> float | None:
    """When the first of `seen` (version, time), in arrival order, included `seq`."""
    return next((moment for version, moment in seen if version >= seq), None)


def stages_of(
    posts: Sequence[tuple[int, float, float]], observed: Observed
) -> dict[str, list[float]]:
    """Milliseconds from each POST's start to each stage, for the marks whose stage was seen."""
    found: dict[str, list[float]] = {stage: [] for stage in STAGES}
    published = sorted(observed.published)
    for seq, began, answered in posts:
        moments = {
            "published": first_at_or_after(published, began),
            "stored": observed.stored.get(seq),
            "answered": answered,
            "board_published": first_including(observed.boards, seq),
            "on_screen": first_including(observed.frames, seq),
        }
        for stage, moment in moments.items():
            if moment is not None:
                found[stage].append((moment - began) * 1000)
    return found


async def watch(screen: aiohttp.ClientWebSocketResponse, observed: Observed) -> None:
    async for frame in screen:
        at = time.perf_counter()
        message = json.loads(frame.data)
        if message.get("type") == "snapshot" and message.get("channel") == CHANNEL:
            observed.frames.append((message["version"], at))


async def post_marks(
    championship: Championship, stack: Endpoints, marks: int, per_second: float
) -> dict[str, list[float]]:
    post = podium_post(championship, stack.intake, stack.settings.secret)
    observed = Observed()
    observer = await nats.connect(stack.settings.nats_url)
    try:
        await observer.subscribe(subjects.COMMANDS_ALL, cb=observed.on_command)
        await observer.subscribe("_INBOX.>", cb=observed.on_inbox)
        await observer.subscribe(subjects.standings(SKILL), cb=observed.on_board)
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as client:
            feed = stack.broadcast.replace("http://", "ws://") + "/ws"
            async with client.ws_connect(feed) as screen:
                await screen.send_json({"op": "subscribe", "channel": CHANNEL})
                watching = asyncio.create_task(watch(screen, observed))
                for n in range(WARM_UP_MARKS):
                    await post(client, n)
                await asyncio.sleep(1.0)

                async def one(n: int) -> tuple[int, float, float]:
                    began = time.perf_counter()
                    seq = await post(client, n)
                    return seq, began, time.perf_counter()

                began, posting = time.perf_counter(), []
                for n in range(marks):
                    await asyncio.sleep(max(0.0, began + n / per_second - time.perf_counter()))
                    posting.append(asyncio.create_task(one(WARM_UP_MARKS + n)))
                posts = await asyncio.gather(*posting)
                await asyncio.sleep(1.0)
                watching.cancel()
    finally:
        await observer.close()
    return stages_of(posts, observed)


def cpu_of(started: Processes) -> dict[str, float]:
    return {name: cpu_seconds(started.pid(name)) for name in PROCESSES}


def trace(
    championship: Championship, started: Processes, stack: Endpoints, marks: int, per_second: float
) -> dict[str, Any]:
    """One screen, `marks` marks at `per_second`: each stage's latency and the CPU per mark."""
    seconds = marks / per_second
    idle_from, idle_began = cpu_of(started), time.perf_counter()
    time.sleep(seconds)
    idle = {k: v / (time.perf_counter() - idle_began) for k, v in _used(idle_from, started).items()}
    busy_from, busy_began = cpu_of(started), time.perf_counter()
    stages = asyncio.run(post_marks(championship, stack, marks, per_second))
    busy_s = time.perf_counter() - busy_began
    used = _used(busy_from, started)
    return {
        "screens": 1,
        "marks": marks,
        "marks_per_second": per_second,
        "stages_ms": {stage: summary(samples) for stage, samples in stages.items()},
        "cpu_ms_per_mark_beyond_idle": {
            name: round((used[name] - idle[name] * busy_s) / marks * 1000, 2) for name in used
        },
    }


def _used(since: dict[str, float], started: Processes) -> dict[str, float]:
    now = cpu_of(started)
    return {name: now[name] - since[name] for name in since}
