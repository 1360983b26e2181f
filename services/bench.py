"""`make bench`: podium's figures, measured here on real servers. Not part of `make test`.

replay   events per second when ranking rebuilds its projection from 100,000 marks
publish  time from a mark stored in the log to its standings snapshot published

Each run prints its conditions and figures and writes them to bench-results/ as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import socket
import statistics
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import nats
import uvicorn
from nats.aio.msg import Msg

from services.demo import day_plan
from services.ranking.app import build as build_ranking
from services.ranking.replay import replay
from services.ranking.store import RankingStore
from services.supervisor import binary, nats_conf
from shared import subjects
from shared.championship import Championship, load
from shared.clock import iso_now
from shared.connections import commands_stream, make_redis
from shared.events import MarkRecorded, encoder, snapshot_decoder
from shared.settings import DEMO_CHAMPIONSHIP, Settings

RESULTS = Path("bench-results")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextlib.contextmanager
def servers(root: Path) -> Iterator[Settings]:
    """A nats-server and a redis-server of its own, stopped at the end."""
    nats_port, redis_port = free_port(), free_port()
    (root / "redis").mkdir()
    processes = [
        subprocess.Popen(
            [binary("nats-server"), "-c", str(nats_conf(root, nats_port))],
            stderr=subprocess.DEVNULL,
        ),
        subprocess.Popen(
            [
                binary("redis-server"),
                "--port",
                str(redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--dir",
                str(root / "redis"),
            ],
            stdout=subprocess.DEVNULL,
        ),
    ]
    try:
        for port in (nats_port, redis_port):
            for _ in range(100):
                with (
                    contextlib.suppress(OSError),
                    socket.create_connection(("127.0.0.1", port), 0.2),
                ):
                    break
                time.sleep(0.05)
        yield Settings(
            nats_url=f"nats://127.0.0.1:{nats_port}",
            redis_url=f"redis://127.0.0.1:{redis_port}/0",
            secret="bench-secret-not-for-production-0123456789",
        )
    finally:
        for process in processes:
            process.terminate()
            process.wait(10)


def marks(championship: Championship, count: int) -> Iterator[MarkRecorded]:
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
            id=f"bench-{n}",
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
    for mark in marks(championship, count):
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
        arrived[snapshot_decoder.decode(message.data).standings.version] = time.perf_counter()

    await connection.subscribe(subjects.STANDINGS_ALL, cb=on_snapshot)
    latencies = []
    async with ranking_running(settings):
        for n, mark in enumerate(marks(championship, count)):
            mark = MarkRecorded(**{**_fields(mark), "id": f"live-{n}"})
            ack = await js.publish(subjects.mark(mark.skill, mark.id), encoder.encode(mark))
            stored = time.perf_counter()
            while ack.seq not in arrived:
                await asyncio.sleep(0.0005)
                if time.perf_counter() - stored > 10:
                    raise TimeoutError(f"no snapshot for seq {ack.seq}")
            latencies.append((arrived[ack.seq] - stored) * 1000)
    await connection.close()
    ordered = sorted(latencies)
    return {
        "marks": count,
        "pace": "one at a time",
        "p50_ms": round(statistics.median(ordered), 2),
        "p99_ms": round(ordered[int(len(ordered) * 0.99) - 1], 2),
        "max_ms": round(ordered[-1], 2),
    }


def _fields(mark: MarkRecorded) -> dict[str, Any]:
    return {name: getattr(mark, name) for name in mark.__struct_fields__}


def conditions() -> dict[str, Any]:
    return {
        "machine": platform.machine(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "nats_sync_interval": "always",
        "when": iso_now(),
    }


async def run(which: list[str], replay_events: int, publish_marks: int) -> dict[str, Any]:
    championship = load(DEMO_CHAMPIONSHIP)
    results: dict[str, Any] = {"conditions": conditions()}
    for name in which:
        with (
            tempfile.TemporaryDirectory(prefix="podium-bench-") as root,
            servers(Path(root)) as settings,
        ):
            if name == "replay":
                results["replay"] = await bench_replay(settings, championship, replay_events)
            elif name == "publish":
                results["publish"] = await bench_publish(settings, championship, publish_marks)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="podium bench", description=__doc__)
    parser.add_argument("which", nargs="*", help="replay, publish (default: both)")
    parser.add_argument("--replay-events", type=int, default=100_000)
    parser.add_argument("--publish-marks", type=int, default=300)
    args = parser.parse_args(argv)
    which = args.which or ["replay", "publish"]
    unknown = set(which) - {"replay", "publish"}
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    results = asyncio.run(run(which, args.replay_events, args.publish_marks))
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"bench-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
