"""Mark to screen: N screens on one skill, an expert posting marks at a steady pace, the time
from each POST's start to each screen's receipt of the first frame whose version includes it.

The same for podium (the real stack: intake, NATS, ranking, Redis, broadcast) and for the
baselines (a POST to the baseline server, which sends a frame of podium's size). The screens
of a count are opened once and serve one run per pace (2 and 10 marks a second by default).

Beside the latencies, each run gives the CPU time the fan-out's server (broadcast, or the
baseline's process) used from the first paced mark until every screen had the last one, per
snapshot and screen: the cost of the fan-out itself, which the latencies only show through
the cores it takes from everything else on the machine.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import itertools
import math
import multiprocessing
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from shared.championship import Championship
from shared.plumbing.tokens import Identity, issue
from tests.bench.baselines import Baseline, serve_baseline
from tests.bench.screens import Plan, Swarm
from tests.bench.servers import (
    cpu_seconds,
    processes,
    rss_kib,
    start_stack,
    wait_listening,
)
from tests.bench.stats import summary
from tests.support.servers import free_port

SKILL = "mobile-robotics"
CHANNEL = f"standings:{SKILL}"
SCREENS_PER_CLIENT_PROCESS = 1000
MAX_CLIENT_PROCESSES = 4
OPEN_TIMEOUT_S = 300.0
WARM_UP_MARKS = 5

Post = Callable[[aiohttp.ClientSession, int], Awaitable[int]]


@dataclass(frozen=True)
class Target:
    """A server under test: where screens connect, how a mark is posted, whose memory counts."""

    name: str
    ws_url: str
    dialect: str
    post: Post
    pid: int
    # The rest of the target's processes, whose CPU per mark is reported too (podium's
    # intake, ranking, NATS and Redis; none for a baseline, whose one process does it all).
    others: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Pace:
    marks: int
    per_second: float


def podium_post(championship: Championship, intake: str, secret: str) -> Post:
    """One expert of the skill marking the competitors of other members, aspect after aspect."""
    expert = next(e for e in championship.experts if e.skill == SKILL and e.role == "expert")
    competitors = [c for c in championship.index.competitors_of(SKILL) if c.member != expert.member]
    aspects = [a for _, a in championship.index.skills[SKILL].aspects if a.kind == "measurement"]
    token = issue(Identity(expert.id, expert.role), secret, 3600)
    headers = {"Authorization": f"Bearer {token}"}
    run, numbers = f"{time.time_ns():x}", itertools.count()

    async def post(client: aiohttp.ClientSession, n: int) -> int:
        # Ids stay new across runs on the same stack; `n` only varies what is marked.
        aspect = aspects[n % len(aspects)]
        mark = {
            "id": f"bench-{run}-{next(numbers)}",
            "competitor": competitors[n % len(competitors)].id,
            "aspect": aspect.id,
            "value": round(aspect.max_mark * ((n * 7) % 11) / 10, 2),
        }
        async with client.post(f"{intake}/api/marks", json=mark, headers=headers) as answer:
            answer.raise_for_status()
            seq: int = (await answer.json())["seq"]
        return seq

    return post


def baseline_post(url: str) -> Post:
    async def post(client: aiohttp.ClientSession, n: int) -> int:
        async with client.post(url, json={"n": n}) as answer:
            answer.raise_for_status()
            seq: int = (await answer.json())["seq"]
        return seq

    return post


@contextlib.contextmanager
def podium_target(championship: Championship, root: Path) -> Iterator[Target]:
    with processes(root) as started:
        stack = start_stack(started)
        yield Target(
            "podium",
            stack.broadcast.replace("http://", "ws://") + "/ws",
            "feed",
            podium_post(championship, stack.intake, stack.settings.secret),
            started.pid("broadcast"),
            tuple((name, started.pid(name)) for name in ("intake", "ranking", "nats", "redis")),
        )


@contextlib.contextmanager
def baseline_target(kind: str, frame_bytes: int) -> Iterator[Target]:
    ws_port = free_port()
    http_port = free_port() if kind == "bare" else ws_port
    baseline = Baseline(kind, ws_port, http_port, CHANNEL, frame_bytes)
    server = multiprocessing.get_context("spawn").Process(
        target=serve_baseline, args=(baseline,), daemon=True
    )
    server.start()
    try:
        for port in {ws_port, http_port}:
            wait_listening(port, server.is_alive, kind)
        path = "/socket.io/?EIO=4&transport=websocket" if kind == "socketio" else "/"
        assert server.pid is not None
        yield Target(
            kind,
            f"ws://127.0.0.1:{ws_port}{path}",
            "socketio" if kind == "socketio" else "feed",
            baseline_post(f"http://127.0.0.1:{http_port}/mark"),
            server.pid,
        )
    finally:
        server.terminate()
        server.join(10)


async def post_marks(
    target: Target, pace: Pace, paced: Callable[[], None] = lambda: None
) -> list[tuple[int, float]]:
    """Marks at a steady pace, each POST on its own so a slow answer does not delay the next;
    `paced` is called once the warm-up is over, just before the first paced mark."""
    # aiohttp rather than httpx: httpx adds about 2.5 ms a request here, which every
    # figure would carry (a GET of /healthz: 3.5 ms with httpx, 0.9 ms on a raw socket).
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as client:
        for n in range(WARM_UP_MARKS):
            await target.post(client, n)
        await asyncio.sleep(1.0)

        async def one(n: int) -> tuple[int, float]:
            started = time.perf_counter()
            return await target.post(client, n), started

        posts = []
        paced()
        began = time.perf_counter()
        for n in range(pace.marks):
            await asyncio.sleep(max(0.0, began + n / pace.per_second - time.perf_counter()))
            posts.append(asyncio.create_task(one(WARM_UP_MARKS + n)))
        return list(await asyncio.gather(*posts))


def client_processes(screens: int) -> int:
    return min(MAX_CLIENT_PROCESSES, max(1, math.ceil(screens / SCREENS_PER_CLIENT_PROCESS)))


WHEN = "@"
# The CPU figures need enough work to measure; a screen count below this gives none.
MIN_SCREENS_FOR_CPU = 100
# Keepalive pings go to every screen every 10 s: the idle server is measured over one such
# round, once the last screen opened had its first.
KEEPALIVE_S = 10.0


def note(watched: list[tuple[str, int]], cpu: dict[str, float]) -> None:
    """The CPU time each watched process has used so far, and when."""
    cpu.update({name: cpu_seconds(pid) for name, pid in watched})
    cpu[WHEN] = time.perf_counter()


def idle_cpu_per_second(pid: int) -> float:
    """CPU seconds a second the server uses with its screens open and no marks."""
    time.sleep(KEEPALIVE_S)
    began, used = time.perf_counter(), cpu_seconds(pid)
    time.sleep(KEEPALIVE_S)
    return (cpu_seconds(pid) - used) / (time.perf_counter() - began)


def measure(target: Target, screens: int, paces: list[Pace]) -> list[dict[str, Any]]:
    """Open the screens, then one run per pace: post the marks, gather every screen's
    latencies and the CPU the target's processes used meanwhile."""
    before = rss_kib(target.pid)
    swarm = Swarm(Plan(target.ws_url, target.dialect, CHANNEL, screens), client_processes(screens))
    swarm.start()
    runs = []
    try:
        opening = time.perf_counter()
        swarm.wait_open(OPEN_TIMEOUT_S)
        opened_in = time.perf_counter() - opening
        after = rss_kib(target.pid)
        idle = idle_cpu_per_second(target.pid) if screens >= MIN_SCREENS_FOR_CPU else None
        for pace in paces:
            watched = [("server", target.pid), *target.others]
            cpu: dict[str, float] = {}
            posted = asyncio.run(post_marks(target, pace, functools.partial(note, watched, cpu)))
            got = swarm.results(max(seq for seq, _ in posted), posted)
            used = {name: cpu_seconds(pid) - cpu[name] for name, pid in watched}
            window = time.perf_counter() - cpu[WHEN]
            figures = summary(got["latencies_ms"])
            per_snapshot_screen = 1e6 / (pace.marks * screens)
            runs.append(
                {
                    "screens": screens,
                    "marks": pace.marks,
                    "marks_per_second": pace.per_second,
                    "frame_bytes": got["frame_bytes"],
                    **figures,
                    "expected_samples": screens * pace.marks,
                    "missed_final": got["missed_final"],
                    # The fan-out's server: CPU per snapshot (one a mark) and screen, all of
                    # it, and what the snapshots cost beyond the same screens kept idle
                    # (keepalive pings and pongs: every screen every 10 s, on both servers).
                    "server_cpu_s": round(used["server"], 3),
                    "cpu_us_per_snapshot_screen": round(used["server"] * per_snapshot_screen, 2),
                    **(
                        {}
                        if idle is None
                        else {
                            "idle_server_cpu_ms_per_s": round(idle * 1000, 1),
                            "fanout_cpu_us_per_snapshot_screen": round(
                                (used["server"] - idle * window) * per_snapshot_screen, 2
                            ),
                        }
                    ),
                    "others_cpu_ms_per_mark": {
                        name: round(used[name] / pace.marks * 1000, 2) for name, _ in target.others
                    },
                    "client_processes": client_processes(screens),
                    "opened_in_s": round(opened_in, 1),
                    "server_rss_kib_before": before,
                    "server_rss_kib_with_screens": after,
                    "server_kib_per_screen": round((after - before) / screens, 1),
                }
            )
    finally:
        swarm.stop()
    return runs


def run_target(
    target: Target, screens: int, paces: list[Pace], report: Callable[[str], None]
) -> list[dict[str, Any]]:
    try:
        runs = measure(target, screens, paces)
    except (TimeoutError, RuntimeError, aiohttp.ClientError) as error:
        # A server that cannot keep up at this many screens is a figure too.
        failed = {"screens": screens, "error": f"{type(error).__name__}: {error}"}
        runs = [{**failed, "marks_per_second": pace.per_second} for pace in paces]
    for figures in runs:
        report(f"{target.name:9} {figures}")
    return runs


def compare(results: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """podium's p99 as a ratio to each baseline's, and the fan-out's CPU per snapshot and
    screen likewise, for every screen count and pace both have."""
    ratios = []
    for run in results.get("podium", []):
        row: dict[str, Any] = {
            "screens": run["screens"],
            "marks_per_second": run["marks_per_second"],
        }
        for name in ("bare", "socketio"):
            other = next(
                (
                    r
                    for r in results.get(name, [])
                    if (r["screens"], r["marks_per_second"])
                    == (run["screens"], run["marks_per_second"])
                ),
                None,
            )
            if other is None:
                continue
            for figure, key in (
                ("p99_ms", "p99"),
                ("cpu_us_per_snapshot_screen", "cpu"),
                ("fanout_cpu_us_per_snapshot_screen", "fanout_cpu"),
            ):
                if other.get(figure) and figure in run:
                    row[f"{key}_vs_{name}"] = round(run[figure] / other[figure], 2)
        ratios.append(row)
    return ratios
