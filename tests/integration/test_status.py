"""A competitor's status as the jury sets it, against real NATS and Redis: who may set it, the
audit, marks refused for the absent, the screens following at once, and a replay after Redis
is lost giving the same boards."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, cast

import httpx
import msgspec
import pytest
import redis.asyncio as aioredis
import websockets

from services.broadcast.app import build as build_broadcast
from services.intake.app import build as build_intake
from services.ranking.app import build as build_ranking
from shared.events import medals_decoder
from shared.plumbing import keys
from shared.plumbing.settings import DEMO_CHAMPIONSHIP_JSON, Settings
from tests.support.boards import stored_boards
from tests.support.people import auth, demo, judge_for
from tests.support.services import serving

CHAMPIONSHIP = demo()
SKILL = CHAMPIONSHIP.skills[0]
FIRST, SECOND, THIRD, TEAM = CHAMPIONSHIP.index.competitors_of(SKILL.id)[:4]
MEASURE = next(a for _, a in SKILL.aspects if a.kind == "measurement")
CHIEF = next(e for e in CHAMPIONSHIP.experts if e.role == "chief" and e.skill == SKILL.id)
OTHER_CHIEF = next(e for e in CHAMPIONSHIP.experts if e.role == "chief" and e.skill != SKILL.id)
ORGANIZER = next(e for e in CHAMPIONSHIP.experts if e.role == "organizer")
MEMBERS_OF_TEAM = ["Айгерім Сәтбаева", "Нұрлан Жұмабеков"]


@pytest.fixture
def env(settings: Settings, tmp_path: Path) -> Settings:
    """The demo championship with one team in the first skill."""
    raw = json.loads(DEMO_CHAMPIONSHIP_JSON.read_text())
    for competitor in raw["competitors"]:
        if competitor["id"] == TEAM.id:
            competitor["team"] = MEMBERS_OF_TEAM
    path = tmp_path / "championship.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    return msgspec.structs.replace(settings, championship=str(path))


@pytest.fixture
async def intake(env: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with serving(build_intake(env)) as url, httpx.AsyncClient(base_url=url) as client:
        yield client


def status_path(competitor: str) -> str:
    return f"/api/competitors/{competitor}/status"


async def put_status(
    client: httpx.AsyncClient, competitor: str, status: str, who: Any = CHIEF
) -> httpx.Response:
    body = {"status": status, "reason": f"{competitor} {status}: the workshop manager's note"}
    return await client.put(status_path(competitor), json=body, headers=auth(who))


async def post_mark(client: httpx.AsyncClient, mark_id: str, competitor: Any, value: float) -> int:
    judge = judge_for(CHAMPIONSHIP, competitor)
    body = {"id": mark_id, "competitor": competitor.id, "aspect": MEASURE.id, "value": value}
    return (await client.post("/api/marks", json=body, headers=auth(judge))).status_code


async def test_who_may_set_a_status_and_what_the_audit_keeps(intake: httpx.AsyncClient) -> None:
    judge = judge_for(CHAMPIONSHIP, FIRST)
    assert (await put_status(intake, FIRST.id, "absent", judge)).status_code == 403
    assert (await put_status(intake, FIRST.id, "absent", OTHER_CHIEF)).status_code == 403
    assert (await intake.put(status_path(FIRST.id), json={})).status_code == 401
    unknown = await put_status(intake, "NOBODY", "absent")
    assert unknown.status_code == 404 and "NOBODY" in unknown.json()["detail"]
    bad = await intake.put(
        status_path(FIRST.id), json={"status": "injured", "reason": "x"}, headers=auth(CHIEF)
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["path"] == "status"
    blank = await intake.put(
        status_path(FIRST.id), json={"status": "absent", "reason": " "}, headers=auth(CHIEF)
    )
    assert blank.status_code == 422 and blank.json()["errors"][0]["path"] == "reason"

    stored = await put_status(intake, FIRST.id, "absent")
    assert stored.status_code == 201
    assert stored.json() | {"id": "", "seq": 0} == {
        "id": "",
        "seq": 0,
        "competitor": FIRST.id,
        "status": "absent",
        "changed": True,
    }
    again = await put_status(intake, FIRST.id, "absent", ORGANIZER)
    assert again.status_code == 200 and again.json()["changed"] is False
    assert (await put_status(intake, SECOND.id, "withdrawn", ORGANIZER)).status_code == 201

    trail = (await intake.get(f"/api/audit?skill={SKILL.id}", headers=auth(CHIEF))).json()
    changes = [(c["type"], c["who"], c["competitor"], c["status"]) for c in trail["commands"]]
    assert changes == [
        ("status", CHIEF.id, FIRST.id, "absent"),
        ("status", ORGANIZER.id, SECOND.id, "withdrawn"),
    ]
    assert trail["commands"][0]["reason"] == f"{FIRST.id} absent: the workshop manager's note"

    board = (await intake.get(f"/api/skills/{SKILL.id}/board", headers=auth(CHIEF))).json()
    rows = {row["competitor"]: row for row in board["rows"]}
    assert [rows[c.id]["status"] for c in (FIRST, SECOND, THIRD)] == [
        "absent",
        "withdrawn",
        "competing",
    ]
    assert rows[TEAM.id]["team"] == MEMBERS_OF_TEAM


async def test_marks_for_the_absent_are_refused_until_the_status_changes(
    env: Settings, intake: httpx.AsyncClient
) -> None:
    assert (await put_status(intake, FIRST.id, "absent")).status_code == 201
    judge = judge_for(CHAMPIONSHIP, FIRST)
    body = {"id": "m-absent", "competitor": FIRST.id, "aspect": MEASURE.id, "value": 1.0}
    refused = await intake.post("/api/marks", json=body, headers=auth(judge))
    assert refused.status_code == 409
    assert refused.json()["title"] == "Absent" and FIRST.id in refused.json()["detail"]
    batch = await intake.post("/api/marks/batch", json={"marks": [body]}, headers=auth(judge))
    assert batch.json()["results"][0]["status"] == 409
    # A second intake, started later, reads the status from the log and refuses too.
    async with serving(build_intake(env)) as url, httpx.AsyncClient(base_url=url) as other:
        assert (await other.post("/api/marks", json=body, headers=auth(judge))).status_code == 409
    # A withdrawn competitor's work before leaving is still marked.
    assert (await put_status(intake, FIRST.id, "withdrawn")).status_code == 201
    assert await post_mark(intake, "m-withdrawn", FIRST, 1.0) == 201
    trail = (await intake.get(f"/api/audit?skill={SKILL.id}", headers=auth(CHIEF))).json()
    assert [c["type"] for c in trail["commands"]] == ["status", "status", "mark"]


async def next_board(ws: websockets.ClientConnection) -> dict[str, Any]:
    while True:
        message: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), 10))
        if message["type"] == "snapshot":
            return message


async def test_a_status_change_mid_day_reaches_the_screens_at_once(
    env: Settings, intake: httpx.AsyncClient
) -> None:
    async with serving(build_ranking(env)), serving(build_broadcast(env)) as url:
        for n, (competitor, value) in enumerate(((FIRST, 2.0), (SECOND, 1.5), (THIRD, 1.0))):
            assert await post_mark(intake, f"day-{n}", competitor, value) == 201
        async with websockets.connect(url.replace("http", "ws") + "/ws") as ws:
            await ws.send(json.dumps({"op": "subscribe", "channel": f"standings:{SKILL.id}"}))
            board = await next_board(ws)
            while [r["competitor"] for r in board["data"]["rows"][:3]] != [
                FIRST.id,
                SECOND.id,
                THIRD.id,
            ]:
                board = await next_board(ws)
            began = time.perf_counter()
            assert (await put_status(intake, FIRST.id, "absent")).status_code == 201
            while board["data"]["rows"][-1]["competitor"] != FIRST.id:
                board = await next_board(ws)
            took = time.perf_counter() - began
        print(f"status change to the screen: {took * 1000:.0f} ms")
        assert took < 5, took
        rows = board["data"]["rows"]
        assert (rows[-1]["status"], rows[-1]["rank"], rows[-1].get("medal")) == (
            "absent",
            None,
            None,
        )
        assert [(r["competitor"], r["rank"], r.get("medal")) for r in rows[:2]] == [
            (SECOND.id, 1, "gold"),
            (THIRD.id, 2, "silver"),
        ]
        assert all("status" in r for r in rows)
        assert [r["team"] for r in rows if "team" in r] == [MEMBERS_OF_TEAM]
        async with httpx.AsyncClient(base_url=url) as http:
            served = (await http.get(f"/api/standings/{SKILL.id}")).json()
            assert served["rows"] == rows
            deadline = time.monotonic() + 10
            medals = (await http.get("/api/medals")).json()
            while medals["best_overall"] != [SECOND.id] and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
                medals = (await http.get("/api/medals")).json()
        lines = {line["member"]: line for line in medals["table"]}
        entrants = sum(
            c.member == FIRST.member and c.id != FIRST.id for c in CHAMPIONSHIP.competitors
        )
        assert lines[FIRST.member]["entrants"] == entrants
        assert medals["best_overall"] == [SECOND.id]


async def test_a_replay_after_redis_is_lost_gives_the_same_boards(
    env: Settings, intake: httpx.AsyncClient
) -> None:
    async with serving(build_ranking(env)):
        for n, (competitor, value) in enumerate(((FIRST, 2.0), (SECOND, 1.5), (THIRD, 1.0))):
            assert await post_mark(intake, f"r-{n}", competitor, value) == 201
        assert (await put_status(intake, FIRST.id, "withdrawn")).status_code == 201
        assert (await put_status(intake, THIRD.id, "non_competing")).status_code == 201
        # Frozen after the changes: the public's frozen board must come back the same too.
        frozen = await intake.put(
            f"/api/skills/{SKILL.id}/visibility", json={"mode": "frozen"}, headers=auth(CHIEF)
        )
        assert frozen.status_code == 201
        assert (await put_status(intake, SECOND.id, "absent")).status_code == 201
        before = await settled(env, frozen.json()["seq"] + 1)
    client = aioredis.from_url(env.redis_url)
    await client.flushall()
    await client.aclose()
    async with serving(build_ranking(env)):
        after = await settled(env, frozen.json()["seq"] + 1)
    assert after == before
    rows = {r["competitor"]: r for r in after["jury"][SKILL.id]}
    assert [rows[c.id]["status"] for c in (FIRST, SECOND, THIRD)] == [
        "withdrawn",
        "absent",
        "non_competing",
    ]
    public = {r["competitor"]: r for r in after["public"][SKILL.id]}
    assert public[SECOND.id]["status"] == "competing"  # frozen before SECOND was absent


async def settled(settings: Settings, seq: int) -> dict[str, Any]:
    """Every board (jury and public) and the medal table, once the skill includes `seq`."""
    deadline = asyncio.get_running_loop().time() + 20
    while asyncio.get_running_loop().time() < deadline:
        boards = await stored_boards(settings.redis_url)
        if len(boards) == len(CHAMPIONSHIP.skills) and boards[SKILL.id].version >= seq:
            break
        await asyncio.sleep(0.05)
    else:
        raise AssertionError(f"the boards did not reach {seq}")
    client = aioredis.from_url(settings.redis_url)
    try:
        names = [keys.MEDALS, *(keys.standings(s.id) for s in CHAMPIONSHIP.skills)]
        stored = [cast(bytes, await client.hget(name, "data")) for name in names]
    finally:
        await client.aclose()
    medals = medals_decoder.decode(stored[0])
    published = [json.loads(data) for data in stored[1:]]
    return {
        "jury": {p["standings"]["skill"]: p["standings"]["rows"] for p in published},
        "public": {p["standings"]["skill"]: p["public"]["rows"] for p in published},
        "medals": msgspec.to_builtins(medals.medals),
        "public_medals": msgspec.to_builtins(medals.public),
    }
