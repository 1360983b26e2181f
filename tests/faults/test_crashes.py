"""A marking day under fire: every part of `podium up` killed with SIGKILL mid-stream, one at
a time and then all together, and Redis emptied, while tablets retry each mark with the same
id until it is stored. Nothing acknowledged is lost, nothing is counted twice, and the boards
and the screens end equal to a recomputation from the acknowledged marks alone."""

from __future__ import annotations

import asyncio
import functools
import json
import operator
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis.asyncio as aioredis

from services.tools.demo.experts import PlannedMark, day_plan
from shared.plumbing.tokens import secret_in
from tests.support.eventually import eventually
from tests.support.people import demo
from tests.support.recompute import ranked, totals_from_audit
from tests.support.stack import PARTS, PODIUM, Stack, launch, pid_of, wait_ready
from tests.support.tablets import Acknowledged, Screen, Tablet

pytestmark = [pytest.mark.faults, pytest.mark.timeout(400)]

CHAMPIONSHIP = demo()
SKILLS = [s.id for s in CHAMPIONSHIP.skills]
SKILL_OF = {c.id: c.skill for c in CHAMPIONSHIP.competitors}
# Marks per second over all tablets: slow enough that the day spans every fault.
PACE = 40.0
ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    for started in launch(tmp_path, []):
        wait_ready(started)
        yield started


def the_day() -> list[tuple[PlannedMark, float | None]]:
    """The demo's day, plus corrections (another id, a new value) and withdrawals later on."""
    day: list[tuple[PlannedMark, float | None]] = [(m, m.value) for m in day_plan(CHAMPIONSHIP, 7)]
    later = []
    for n, (mark, value) in enumerate(day[::9]):
        assert value is not None
        again = PlannedMark(f"{mark.id}:again", mark.expert, mark.competitor, mark.aspect, 0.0)
        later.append((again, None if n % 3 == 0 else float(int(value) // 2)))
    return day + later


async def ready(stack: Stack, within: float = 60) -> None:
    async with httpx.AsyncClient(timeout=1) as http:
        for part in ("intake", "broadcast", "ranking"):
            await eventually(
                functools.partial(http.get, stack.url(part) + "/readyz"),
                lambda answer: answer.status_code == 200,
                within=within,
                every=0.2,
                ignoring=(httpx.HTTPError,),
                what=f"{part} ready again",
            )


async def kill(stack: Stack, *parts: str) -> None:
    for part in parts:
        pid = pid_of(stack, part)
        assert pid is not None, f"no {part} running"
        os.kill(pid, signal.SIGKILL)


async def flushall(stack: Stack) -> None:
    client = aioredis.from_url(f"redis://127.0.0.1:{stack.ports['redis']}/0")
    try:
        await client.flushall()
    finally:
        await client.aclose()


async def faults(
    stack: Stack, acknowledged: Acknowledged, total: int, marking: asyncio.Task[None]
) -> list[str]:
    """One fault after another, each once the stack is whole again and more marks went in."""
    plan: list[tuple[str, Any]] = [
        ("ranking", lambda: kill(stack, "ranking")),
        ("intake", lambda: kill(stack, "intake")),
        ("broadcast", lambda: kill(stack, "broadcast")),
        ("nats-server", lambda: kill(stack, "nats-server")),
        ("redis-server", lambda: kill(stack, "redis-server")),
        ("FLUSHALL", lambda: flushall(stack)),
        ("all five together", lambda: kill(stack, *PARTS)),
    ]
    done = []

    async def marked() -> int:
        if marking.done():
            marking.result()  # a tablet's failure, raised here
            raise AssertionError("the day ended before every fault was tried")
        return len(acknowledged.ids)

    for n, (name, fault) in enumerate(plan, start=1):
        share = total * n / (len(plan) + 2)
        await eventually(
            marked, functools.partial(operator.le, share), within=300, what=f"marks before {name}"
        )
        await fault()
        done.append(name)
        # The scenario, not a wait: the stack carries on with the fault a moment (a service
        # notices NATS gone only at its next ping) before it is awaited whole again.
        await asyncio.sleep(1)
        await ready(stack)
    return done


async def mark_the_day(stack: Stack, acknowledged: Acknowledged) -> None:
    secret = secret_in(stack.data_dir)
    tablet = Tablet(CHAMPIONSHIP, stack.url("intake"), secret, acknowledged)
    by_skill: dict[str, list[tuple[PlannedMark, float | None]]] = {s: [] for s in SKILLS}
    for mark, value in the_day():
        by_skill[SKILL_OF[mark.competitor]].append((mark, value))

    async def one_tablet_per_skill(marks: list[tuple[PlannedMark, float | None]]) -> None:
        async with httpx.AsyncClient() as http:
            for mark, value in marks:
                await tablet.mark(http, mark, value)
                await asyncio.sleep(len(SKILLS) / PACE)

    await asyncio.gather(*(one_tablet_per_skill(marks) for marks in by_skill.values()))


def expected_boards(acknowledged: Acknowledged) -> dict[str, list[tuple[int, str, float]]]:
    totals = totals_from_audit(acknowledged.marks)
    return {
        skill: [(rank, c, float(total)) for rank, c, total in ranked(skill, totals)]
        for skill in SKILLS
    }


def shown(board: dict[str, Any]) -> list[tuple[int, str, float]]:
    return [(row["rank"], row["competitor"], row["total"]) for row in board["rows"]]


async def converged(
    stack: Stack, screen: Screen, expected: dict[str, list[tuple[int, str, float]]]
) -> None:
    async with httpx.AsyncClient(timeout=2) as http:
        for skill in SKILLS:
            await eventually(
                functools.partial(board_and_screen, http, stack, screen, skill),
                functools.partial(both_show, expected[skill]),
                within=90,
                every=0.2,
                what=f"{skill}'s board and screen as expected",
            )


Shown = list[tuple[int, str, float]]


async def board_and_screen(
    http: httpx.AsyncClient, stack: Stack, screen: Screen, skill: str
) -> tuple[Shown, Shown]:
    board = (await http.get(stack.url("broadcast") + f"/api/standings/{skill}")).json()
    screened = screen.latest.get(f"standings:{skill}", {}).get("data", {"rows": []})
    return shown(board), shown(screened)


def both_show(expected: Shown, seen: tuple[Shown, Shown]) -> bool:
    return seen[0] == expected == seen[1]


def audited(stack: Stack) -> list[dict[str, Any]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PODIUM_")}
    env["PODIUM_NATS_URL"] = f"nats://127.0.0.1:{stack.ports['nats']}"
    audit = subprocess.run(
        [*PODIUM, "export", "audit"], env=env, capture_output=True, text=True, check=True
    ).stdout
    return [json.loads(line) for line in audit.splitlines()]


def test_kills_of_every_part_and_an_emptied_redis_lose_and_double_nothing(stack: Stack) -> None:
    day = the_day()
    acknowledged = Acknowledged()

    async def scenario() -> list[str]:
        screen = Screen(stack.url("broadcast", "ws") + "/ws", SKILLS)
        watching = asyncio.create_task(screen.watch())
        marking = asyncio.create_task(mark_the_day(stack, acknowledged))
        done = await faults(stack, acknowledged, len(day), marking)
        await marking
        await converged(stack, screen, expected_boards(acknowledged))
        await screen.stop(watching)
        return done

    began = time.monotonic()
    done = asyncio.run(scenario())
    log = audited(stack)
    stored = [line["id"] for line in log if line["type"] == "mark"]
    assert len(stored) == len(set(stored)) == len(day)
    assert set(stored) == acknowledged.ids
    figures = {
        "faults": done,
        "marks": len(day),
        "requests": acknowledged.attempts,
        "retried": acknowledged.refused_for_now,
        "seconds": round(time.monotonic() - began, 1),
        "lost": 0,
        "doubled": 0,
    }
    print(json.dumps(figures))
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "faults-kills.json").write_text(json.dumps(figures, indent=1) + "\n")
