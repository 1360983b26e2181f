"""Scale-out on one machine: the world setup of deploy/ survives losing a NATS node mid-day.

A three-node JetStream cluster runs deploy/nats/cluster.conf (loopback ports and temp stores
through the environment, see tests/support/cluster.py), the event log is R3, ranking is two
replicas splitting the skills, and two broadcast replicas read a Redis replica, as in
compose's `world` profile. Tablets mark the demo's day through intake; halfway through, the
node that leads the event log is killed (SIGKILL). Every mark must be stored once, and both
broadcast replicas, through the read API and through the live feed, must show the standings
recomputed from the acknowledged marks alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import nats
import pytest
import websockets

from services.tools.demo.experts import PlannedMark, day_plan
from shared import subjects
from tests.support.boards import at_version
from tests.support.cluster import NatsNode, nats_cluster, redis_replica, wait_healthy
from tests.support.eventually import eventually_sync
from tests.support.people import SECRET, demo, token_of
from tests.support.recompute import ranked, totals_from_audit
from tests.support.servers import redis_server, running
from tests.support.subprocesses import podium_env, podiums

# A process killed mid-stream, on purpose.
pytestmark = pytest.mark.faults

CHAMPIONSHIP = demo()
SKILLS = [skill.id for skill in CHAMPIONSHIP.skills]
TABLETS = 12
RETRY_S = 0.25
DAY_WITHIN_S = 75.0
BOARDS_WITHIN_S = 20.0


def test_a_day_on_the_cluster_survives_a_dead_nats_node_and_both_screens_agree(
    tmp_path: Path,
) -> None:
    began = time.monotonic()
    nodes = nats_cluster(tmp_path / "nats")
    plan = day_plan(CHAMPIONSHIP, seed=2025)
    with contextlib.ExitStack() as stack:
        for node in nodes:
            stack.enter_context(running(node.server))
        redis = stack.enter_context(running(redis_server(tmp_path / "redis")))
        replica = stack.enter_context(running(redis_replica(tmp_path / "redis-replica", redis)))
        wait_healthy(nodes)
        env = podium_env(
            {
                "PODIUM_NATS_URL": ",".join(node.url for node in nodes),
                "PODIUM_REDIS_URL": f"redis://127.0.0.1:{redis.port}/0",
                "PODIUM_SECRET": SECRET,
                "PODIUM_STREAM_REPLICAS": "3",
            }
        )
        boards = env | {"PODIUM_REDIS_URL": f"redis://127.0.0.1:{replica.port}/0"}
        half = len(SKILLS) // 2
        specs = [
            ("ranking-a", "ranking", env | {"PODIUM_RANKING_SKILLS": ",".join(SKILLS[:half])}),
            ("ranking-b", "ranking", env | {"PODIUM_RANKING_SKILLS": ",".join(SKILLS[half:])}),
            ("intake", "intake", env),
            ("broadcast-a", "broadcast", boards),
            ("broadcast-b", "broadcast", boards),
        ]
        _, _, intake, *broadcasts = stack.enter_context(podiums(specs, tmp_path))
        started = time.monotonic()

        async def kill_the_log_leader() -> None:
            leader = await log_leader(nodes)
            next(node for node in nodes if node.name == leader).server.kill()
            print(f"killed {leader}, the event log's leader")

        acks, refused = asyncio.run(mark_the_day(intake.url, plan, kill_the_log_leader))
        marked = time.monotonic()
        survivors = [n for n in nodes if n.server.process and n.server.process.poll() is None]
        assert len(survivors) == 2
        log = asyncio.run(log_state(survivors))
        last = last_seq_by_skill(plan, acks)
        shown = [asyncio.run(feed_boards(b.url, last)) for b in broadcasts]
        read = [read_boards(b.url, last) for b in broadcasts]

    outage = max(refused) - min(refused) if refused else 0.0
    print(
        f"{len(plan)} marks in {marked - started:.1f}s; {len(refused)} retries within "
        f"{outage:.1f}s; servers and services up in {started - began:.1f}s; "
        f"whole test {time.monotonic() - began:.1f}s"
    )
    assert log == {"messages": len(plan), "replicas": 3}
    expected = recomputed(plan)
    for boards_of_replica in [*shown, *read]:
        for skill in SKILLS:
            rows = [(r["rank"], r["competitor"], r["total"]) for r in boards_of_replica[skill]]
            assert rows == expected[skill], skill


async def mark_the_day(
    intake: str, plan: list[PlannedMark], halfway: Callable[[], Awaitable[None]]
) -> tuple[dict[str, int], list[float]]:
    """Every mark posted by one of TABLETS tablets at once, each as a tablet does: the same id
    again on 503 or a lost connection until stored. Returns each mark's acknowledged sequence
    and when a try was refused; `halfway` runs once half the day is acknowledged."""
    tokens = {e.id: token_of(e) for e in CHAMPIONSHIP.experts}
    marks = iter(plan)
    acks: dict[str, int] = {}
    refused: list[float] = []
    fault = asyncio.Event()

    async def tablet(client: httpx.AsyncClient) -> None:
        for mark in marks:
            body = {"id": mark.id, "competitor": mark.competitor, "aspect": mark.aspect}
            headers = {"Authorization": f"Bearer {tokens[mark.expert]}"}
            while True:
                try:
                    response = await client.post(
                        f"{intake}/api/marks", json=body | {"value": mark.value}, headers=headers
                    )
                except httpx.HTTPError:
                    response = None
                if response is not None and response.status_code in (200, 201):
                    acks[mark.id] = response.json()["seq"]
                    break
                assert response is None or response.status_code == 503, response.text
                refused.append(time.monotonic())
                await asyncio.sleep(RETRY_S)
            if len(acks) >= len(plan) // 2 and not fault.is_set():
                fault.set()
                await halfway()

    async with httpx.AsyncClient(timeout=10.0) as client:
        day = asyncio.gather(*(tablet(client) for _ in range(TABLETS)))
        await asyncio.wait_for(day, DAY_WITHIN_S)
    assert fault.is_set()
    assert len(acks) == len(plan)
    return acks, refused


async def log_leader(nodes: list[NatsNode]) -> str:
    connection = await nats.connect(servers=[node.url for node in nodes])
    try:
        info = await connection.jetstream().stream_info(subjects.COMMANDS_STREAM)
    finally:
        await connection.close()
    assert info.cluster is not None and info.cluster.leader is not None
    return info.cluster.leader


async def log_state(nodes: list[NatsNode]) -> dict[str, int]:
    """What the event log holds, asked of the nodes still running."""
    connection = await nats.connect(servers=[node.url for node in nodes])
    try:
        info = await connection.jetstream().stream_info(subjects.COMMANDS_STREAM)
    finally:
        await connection.close()
    return {"messages": info.state.messages, "replicas": info.config.num_replicas or 0}


def last_seq_by_skill(plan: list[PlannedMark], acks: dict[str, int]) -> dict[str, int]:
    last: dict[str, int] = {}
    for mark in plan:
        skill = CHAMPIONSHIP.index.competitors[mark.competitor].skill
        last[skill] = max(last.get(skill, 0), acks[mark.id])
    return last


def recomputed(plan: list[PlannedMark]) -> dict[str, list[tuple[int, str, float]]]:
    """The standings from the acknowledged marks alone, by tests/support/recompute.py."""
    lines = [
        {
            "type": "mark",
            "skill": CHAMPIONSHIP.index.competitors[mark.competitor].skill,
            "competitor": mark.competitor,
            "aspect": mark.aspect,
            "expert": mark.expert,
            "value": mark.value,
        }
        for mark in plan
    ]
    totals = totals_from_audit(lines)
    return {
        skill: [(rank, c, float(total)) for rank, c, total in ranked(skill, totals)]
        for skill in SKILLS
    }


def read_boards(broadcast: str, last: dict[str, int]) -> dict[str, list[dict[str, Any]]]:
    """Each skill's rows from the read API, once its board includes the skill's last mark."""
    rows = {}
    for skill in SKILLS:
        board = eventually_sync(
            functools.partial(board_of, broadcast, skill),
            functools.partial(at_version, last[skill]),
            within=BOARDS_WITHIN_S,
            every=0.2,
            what=f"{broadcast}: {skill} caught up",
        )
        rows[skill] = board["rows"]
    return rows


def board_of(broadcast: str, skill: str) -> dict[str, Any]:
    board: dict[str, Any] = httpx.get(f"{broadcast}/api/standings/{skill}").json()
    return board


async def feed_boards(broadcast: str, last: dict[str, int]) -> dict[str, list[dict[str, Any]]]:
    """Each skill's rows from the live feed (the snapshots NATS brought this replica)."""
    rows: dict[str, list[dict[str, Any]]] = {}
    ws_url = broadcast.replace("http://", "ws://") + "/ws"
    async with websockets.connect(ws_url) as ws:
        for skill in SKILLS:
            await ws.send(json.dumps({"op": "subscribe", "channel": f"standings:{skill}"}))
        async with asyncio.timeout(BOARDS_WITHIN_S):
            while len(rows) < len(SKILLS):
                frame = json.loads(await ws.recv())
                assert frame["type"] == "snapshot", frame
                skill = frame["channel"].removeprefix("standings:")
                if frame["version"] >= last[skill]:
                    rows[skill] = frame["data"]["rows"]
    return rows
