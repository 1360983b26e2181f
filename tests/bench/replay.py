"""Ranking on its own: replay speed, and a mark stored in the log to its snapshot published."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import nats
import uvicorn
from nats.aio.msg import Msg

from services.ranking.app import build as build_ranking
from services.ranking.replay import replay
from services.ranking.store import RankingStore
from services.tools.demo.experts import day_plan
from shared import subjects
from shared.championship import Championship
from shared.events import MarkRecorded, encoder, standings_decoder
from shared.plumbing.clock import iso_now
from shared.plumbing.connections import commands_stream, make_redis
from shared.plumbing.settings import Settings
from tests.bench.stats import summary
from tests.support.servers import free_port


def marks(championship: Championship, count: int, prefix: str) -> Iterator[MarkRecorded]:
    """`count` marks from the demo's day, played over and over with new ids and values."""
    plan = day_plan(championship, seed=2025)
    skills = {c.id: c.skill for c in championship.competitors}
    at = iso_now()
    for n in range(count):
        planned = plan[n % len(plan)]
        kind = championship.index.aspects[(skills[planned.competitor], planned.aspect)][1].kind
        value = (
            planned.value
            if kind == "judgement"
            else round(planned.value * ((n // len(plan)) % 4 + 1) / 4, 2)
        )
        yield MarkRecorded(
            id=f"{prefix}-{n}",
            skill=skills[planned.competitor],
            competitor=planned.competitor,
            aspect=planned.aspect,
            expert=planned.expert,
            value=value,
            at=at,
        )


async def fill_log(settings: Settings, championship: Championship, count: int) -> None:
    connection = await nats.connect(settings.nats_url)
    js = connection.jetstream()
    stream = commands_stream(settings).config
    stream.subjects = [subjects.COMMANDS_ALL]  # FastStream adds them when it declares; we don't
    await js.add_stream(config=stream)
    for mark in marks(championship, count, "bench"):
        await js.publish_async(subjects.mark(mark.skill, mark.id), encoder.encode(mark))
        if js.publish_async_pending() > 4000:
            await js.publish_async_completed()
    await js.publish_async_completed()
    await connection.close()


async def bench_replay(
    settings: Settings, championship: Championship, count: int
) -> dict[str, Any]:
    began = time.perf_counter()
    await fill_log(settings, championship, count)
    filled = time.perf_counter() - began
    connection = await nats.connect(settings.nats_url)
    redis = make_redis(settings)
    store = RankingStore(redis)
    skills = tuple(s.id for s in championship.skills)
    for skill in skills:
        await store.start_epoch(skill)
    began = time.perf_counter()
    last = await replay(
        connection.jetstream(), store, championship, skills, (subjects.COMMANDS_ALL,)
    )
    seconds = time.perf_counter() - began
    await redis.aclose()
    await connection.close()
    assert last == count, f"replayed up to {last}, not {count}"
    return {
        "events": count,
        "skills": len(skills),
        "seconds": round(seconds, 3),
        "events_per_second": int(count / seconds),
        "target_events_per_second": 50_000,
        "log_filled_in_seconds": round(filled, 2),
    }


@contextlib.asynccontextmanager
async def ranking_running(settings: Settings) -> AsyncIterator[None]:
    server = uvicorn.Server(
        uvicorn.Config(
            build_ranking(settings),
            host="127.0.0.1",
            port=free_port(),
            log_config=None,
            lifespan="on",
        )
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    try:
        yield
    finally:
        server.should_exit = True
        await task


async def bench_publish(
    settings: Settings, championship: Championship, count: int
) -> dict[str, Any]:
    """One mark at a time, as experts enter them: stored (PubAck) to snapshot received."""
    connection = await nats.connect(settings.nats_url)
    js = connection.jetstream()
    arrived: dict[int, float] = {}

    async def on_snapshot(message: Msg) -> None:
        arrived[standings_decoder.decode(message.data).standings.version] = time.perf_counter()

    await connection.subscribe(subjects.STANDINGS_ALL, cb=on_snapshot)
    took = []
    async with ranking_running(settings):
        for mark in marks(championship, count, "live"):
            ack = await js.publish(subjects.mark(mark.skill, mark.id), encoder.encode(mark))
            stored = time.perf_counter()
            while ack.seq not in arrived:
                await asyncio.sleep(0.0005)
                if time.perf_counter() - stored > 10:
                    raise TimeoutError(f"no snapshot for seq {ack.seq}")
            took.append((arrived[ack.seq] - stored) * 1000)
    await connection.close()
    return {"marks": count, "pace": "one at a time", **summary(took)}
