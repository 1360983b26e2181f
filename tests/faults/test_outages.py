"""Outages that do not kill podium's processes: NATS away for 30 seconds, and ranking's durable
consumer deleted under its feet. The services ride them out by themselves, without a restart."""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import nats as nats_client
import pytest
from nats.aio.client import Client as NatsClient

from shared import subjects
from shared.plumbing.tokens import secret_in
from tests.support.eventually import eventually
from tests.support.people import demo, judge_for, token_of
from tests.support.servers import Server
from tests.support.stack import Stack, launch, pid_of, wait_ready
from tests.support.tablets import Screen

pytestmark = [pytest.mark.faults, pytest.mark.timeout(300)]

CHAMPIONSHIP = demo()
COMPETITORS = CHAMPIONSHIP.index.competitors_of(CHAMPIONSHIP.skills[0].id)
SKILL = CHAMPIONSHIP.skills[0]
ASPECT = next(a for _, a in SKILL.aspects if a.kind == "measurement")
CHANNEL = f"standings:{SKILL.id}"
OUTAGE_S = 30


@pytest.fixture
def stack(tmp_path: Path, nats: Server, redis: Server) -> Iterator[Stack]:
    urls = ["--nats-url", f"nats://127.0.0.1:{nats.port}"]
    urls += ["--redis-url", f"redis://127.0.0.1:{redis.port}/0"]
    for started in launch(tmp_path, urls):
        wait_ready(started)
        yield started


async def post(stack: Stack, n: int, value: float) -> httpx.Response:
    competitor = COMPETITORS[n % len(COMPETITORS)]
    judge = judge_for(CHAMPIONSHIP, competitor)
    body = {"id": f"outage-{n}", "competitor": competitor.id, "aspect": ASPECT.id, "value": value}
    headers = {"Authorization": f"Bearer {token_of(judge, secret_in(stack.data_dir))}"}
    async with httpx.AsyncClient(timeout=10) as http:
        return await http.post(stack.url("intake") + "/api/marks", json=body, headers=headers)


async def screened(screen: Screen, seq: int, within: float = 30) -> None:
    async def shown() -> int:
        version: int = screen.latest.get(CHANNEL, {}).get("version", 0)
        return version

    await eventually(
        shown, lambda version: version >= seq, within=within, every=0.1, what=f"seq {seq} shown"
    )


def test_nats_away_for_30_seconds(stack: Stack, nats: Server) -> None:
    services = {part: pid_of(stack, part) for part in ("intake", "ranking", "broadcast")}

    async def scenario() -> dict[str, float]:
        screen = Screen(stack.url("broadcast", "ws") + "/ws", [SKILL.id])
        watching = asyncio.create_task(screen.watch())
        first = await post(stack, 0, 1.0)
        assert first.status_code == 201, first.text
        await screened(screen, first.json()["seq"])

        nats.kill()
        began = time.monotonic()
        refusals, slowest = 0, 0.0
        n = 1
        while time.monotonic() - began < OUTAGE_S:  # a mark a second, all through the outage
            asked = time.monotonic()
            refused = await post(stack, n, 2.0)
            slowest = max(slowest, time.monotonic() - asked)
            assert refused.status_code == 503, refused.text
            assert refused.headers["content-type"] == "application/problem+json"
            refusals += 1
            n += 1
            await asyncio.sleep(1)
        async with httpx.AsyncClient() as http:
            assert (await http.get(stack.url("intake") + "/readyz")).status_code == 503
        nats.start()

        # Each refused mark, sent again with its id, is stored now, and for the first time.
        seqs = []
        for again in range(1, n):
            answer = await eventually(
                functools.partial(post, stack, again, 2.0),
                lambda answer: answer.status_code != 503,
                within=30,
                every=0.5,
                what="intake storing marks again",
            )
            assert answer.status_code == 201 and not answer.json()["duplicate"], answer.text
            seqs.append(answer.json()["seq"])
        await screened(screen, max(seqs))
        await screen.stop(watching)
        return {"refusals": refusals, "slowest_refusal_s": round(slowest, 3)}

    figures = asyncio.run(scenario())
    print(figures)
    assert figures["refusals"] >= OUTAGE_S // 2
    # Nobody was restarted: each service reconnected by itself.
    assert {part: pid_of(stack, part) for part in services} == services


def test_a_deleted_consumer_is_made_again(stack: Stack, nats: Server) -> None:
    """Ranking restarts itself (crash-only, the supervisor brings it back) and makes the
    consumer again right after the last command Redis holds; no mark is lost or doubled."""

    async def scenario() -> None:
        screen = Screen(stack.url("broadcast", "ws") + "/ws", [SKILL.id])
        watching = asyncio.create_task(screen.watch())
        first = await post(stack, 0, 1.0)
        await screened(screen, first.json()["seq"])
        connection = await connect(nats)
        js = connection.jetstream()
        durables = [c.name for c in await js.consumers_info(subjects.COMMANDS_STREAM)]
        ranking = [name for name in durables if name.startswith("ranking")]
        assert ranking, durables
        for name in ranking:
            await js.delete_consumer(subjects.COMMANDS_STREAM, name)
        later = [await post(stack, n, 3.0) for n in range(1, 4)]
        assert all(answer.status_code == 201 for answer in later)
        await screened(screen, max(answer.json()["seq"] for answer in later), within=60)
        totals = {r["competitor"]: r["total"] for r in screen.latest[CHANNEL]["data"]["rows"]}
        assert [totals[c.id] for c in COMPETITORS[:4]] == [1.0, 3.0, 3.0, 3.0]
        names = [c.name for c in await js.consumers_info(subjects.COMMANDS_STREAM)]
        assert set(ranking) <= set(names)
        await connection.close()
        await screen.stop(watching)

    asyncio.run(scenario())


async def connect(server: Server) -> NatsClient:
    return await nats_client.connect(f"nats://127.0.0.1:{server.port}")
