"""A ranking process killed again and again mid-stream counts every mark once, in log order."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import redis.asyncio as aioredis

from services.tools.demo.experts import day_plan
from services.tools.stack.servers import die_with_parent
from shared.events import Standings
from shared.marks_hash import measurement_field
from shared.plumbing import keys
from shared.plumbing.settings import Settings, as_env
from tests.support.boards import stored_boards
from tests.support.eventually import eventually
from tests.support.log import append, mark
from tests.support.people import demo
from tests.support.servers import free_port
from tests.support.subprocesses import podium_env

# A process killed mid-stream, on purpose.
pytestmark = [pytest.mark.faults, pytest.mark.timeout(300)]

CHAMPIONSHIP = demo()
SKILLS = {c.id: c.skill for c in CHAMPIONSHIP.competitors}
KILLS = 6


def start_ranking(
    settings: Settings, log: Path, port: int, die_after: int = 0
) -> subprocess.Popen[bytes]:
    env = podium_env(
        as_env(
            nats_url=settings.nats_url,
            redis_url=settings.redis_url,
            ranking_port=port,
            fault_die_after_apply=die_after,
            championship=settings.championship,
        )
    )
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "services", "ranking"],
            env=env,
            stderr=out,
            stdout=out,
            preexec_fn=die_with_parent,
        )


async def ready(port: int) -> None:
    async with httpx.AsyncClient() as http:
        await eventually(
            lambda: http.get(f"http://127.0.0.1:{port}/readyz"),
            lambda answer: answer.status_code == 200,
            within=30,
            ignoring=(httpx.HTTPError,),
            what="ranking ready",
        )


async def settled(url: str, last_by_skill: dict[str, int]) -> dict[str, Standings]:
    """Every skill's standings, once each skill has a board and it has its last mark."""
    return await eventually(
        lambda: stored_boards(url),
        lambda boards: (
            len(boards) == len(CHAMPIONSHIP.skills)
            and all(boards[skill].version >= seq for skill, seq in last_by_skill.items())
        ),
        within=30,
        what="standings settled",
    )


async def never_crashed(
    settings: Settings, tmp_path: Path, port: int, last_by_skill: dict[str, int]
) -> dict[str, Standings]:
    """The reference: a ranking that never crashed, rebuilding from the log into an empty Redis."""
    client = aioredis.from_url(settings.redis_url)
    await client.flushall()
    await client.aclose()
    calm = start_ranking(settings, tmp_path / "calm.log", port)
    try:
        return await settled(settings.redis_url, last_by_skill)
    finally:
        calm.terminate()
        calm.wait(10)


async def test_sigkill_during_a_marking_burst_loses_and_doubles_nothing(
    settings: Settings, tmp_path: Path
) -> None:
    plan = day_plan(CHAMPIONSHIP, seed=7)[:600]
    # Corrections: the same expert's same aspect marked again later with another value.
    commands = [
        mark(p.id, p.competitor, p.aspect, p.expert, p.value, SKILLS[p.competitor]) for p in plan
    ] + [
        mark(
            f"{p.id}:fix",
            p.competitor,
            p.aspect,
            p.expert,
            0.0 if p.value else 1.0,
            SKILLS[p.competitor],
        )
        for p in plan[::7]
    ]
    port = free_port()
    ranking = start_ranking(settings, tmp_path / "ranking.log", port)
    chunks = [commands[i :: KILLS + 1] for i in range(KILLS + 1)]
    seqs: list[int] = []
    for n, chunk in enumerate(chunks):
        await ready(port)
        appending = asyncio.create_task(append(settings.nats_url, *chunk))
        if n < KILLS:
            # Mid-burst, a little later each time (the scenario, not a wait): ranking is
            # applying, acking and publishing as the marks arrive.
            await asyncio.sleep(0.03 + 0.02 * n)
            ranking.send_signal(signal.SIGKILL)
            ranking.wait()
            ranking = start_ranking(settings, tmp_path / "ranking.log", port)
        seqs += await appending
    last_by_skill: dict[str, int] = {}
    for command, seq in zip([c for chunk in chunks for c in chunk], seqs, strict=True):
        last_by_skill[command.skill] = max(seq, last_by_skill.get(command.skill, 0))
    try:
        crashed = await settled(settings.redis_url, last_by_skill)
    finally:
        ranking.terminate()
        ranking.wait(10)

    reference = await never_crashed(settings, tmp_path, port, last_by_skill)
    assert set(crashed) == set(reference)
    for skill, board in crashed.items():
        assert board.rows == reference[skill].rows, skill
        assert board.version == reference[skill].version


async def test_a_ranking_killed_between_apply_and_ack_counts_the_mark_once(
    settings: Settings, tmp_path: Path
) -> None:
    """The fault hook kills ranking after it applied the 3rd mark to Redis, before the ack."""
    plan = day_plan(CHAMPIONSHIP, seed=11)[:5]
    commands = [
        mark(p.id, p.competitor, p.aspect, p.expert, p.value, SKILLS[p.competitor]) for p in plan
    ]
    port = free_port()
    log = tmp_path / "ranking.log"
    doomed = start_ranking(settings, log, port, die_after=3)
    await ready(port)
    seqs = await append(settings.nats_url, *commands)
    assert doomed.wait(20) == -signal.SIGKILL
    survivor = start_ranking(settings, log, port)
    last_by_skill: dict[str, int] = {}
    for command, seq in zip(commands, seqs, strict=True):
        last_by_skill[command.skill] = max(seq, last_by_skill.get(command.skill, 0))
    try:
        boards = await settled(settings.redis_url, last_by_skill)
    finally:
        survivor.terminate()
        survivor.wait(10)
    events = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    redelivered = [e["mark"] for e in events if e["msg"] == "mark already applied"]
    assert redelivered == [commands[2].id]
    reference = await never_crashed(settings, tmp_path, port, last_by_skill)
    assert {s: b.rows for s, b in boards.items()} == {s: b.rows for s, b in reference.items()}


async def test_a_redis_that_comes_back_older_while_ranking_runs_is_rebuilt(
    settings: Settings, tmp_path: Path
) -> None:
    """Redis restored from a copy without the last marks (a power cut before its fsync):
    ranking notices at the next mark, restarts and replays; no mark stays lost."""
    plan = day_plan(CHAMPIONSHIP, seed=12)
    skill = SKILLS[plan[0].competitor]
    same_skill = [p for p in plan if SKILLS[p.competitor] == skill][:4]
    commands = [mark(p.id, p.competitor, p.aspect, p.expert, p.value, skill) for p in same_skill]
    port = free_port()
    log = tmp_path / "ranking.log"
    first = start_ranking(settings, log, port)
    await ready(port)
    seqs = await append(settings.nats_url, *commands[:3])
    await settled(settings.redis_url, {skill: seqs[-1]})
    # A ranking that has not applied anything to the skill itself must notice too.
    first.terminate()
    first.wait(10)
    ranking = start_ranking(settings, log, port)
    await ready(port)
    # The copy Redis "comes back" from knew only the first mark.
    client = aioredis.from_url(settings.redis_url)
    last_two = [measurement_field(c.competitor, c.aspect) for c in commands[1:3]]
    await client.hdel(keys.marks(skill), *last_two)
    await client.set(keys.applied(skill), seqs[0])
    await client.aclose()
    last = (await append(settings.nats_url, commands[3]))[0]
    # It stops itself (SIGTERM to its own process), as after any loss of its state.
    assert ranking.wait(20) in (0, -signal.SIGTERM), "ranking kept going on a Redis that lost marks"
    again = start_ranking(settings, log, port)  # what the supervisor does
    try:
        boards = await settled(settings.redis_url, {skill: last})
    finally:
        again.terminate()
        again.wait(10)
    reference = await never_crashed(settings, tmp_path, port, {skill: last})
    assert boards[skill].rows == reference[skill].rows
