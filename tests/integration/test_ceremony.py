"""The closing ceremony against real NATS and Redis: moved through intake, computed from the
jury's standings by each broadcast replica, sent to ceremony screens one step at a time; the
public's view of the frozen skill stays as it was."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import httpx
import websockets

from services.broadcast.app import build as build_broadcast
from services.intake.app import build as build_intake
from services.ranking.app import build as build_ranking
from shared.events import Command, VisibilityChanged
from shared.plumbing.clock import iso_now
from shared.plumbing.settings import Settings
from tests.support.ceremony import tie_for_gold
from tests.support.log import append, mark
from tests.support.people import auth, demo, judge_for
from tests.support.services import serving

CHAMPIONSHIP = demo()
RESULTS = tie_for_gold(CHAMPIONSHIP, CHAMPIONSHIP.skills[3])
SKILL = RESULTS.skill
ORGANIZER = next(e for e in CHAMPIONSHIP.experts if e.role == "organizer")
CHIEF = next(e for e in CHAMPIONSHIP.experts if e.role == "chief" and e.skill == SKILL.id)
WITHIN_S = 10.0


async def stage(url: str) -> websockets.ClientConnection:
    ws = await websockets.connect(url.replace("http", "ws") + "/ws?screen=stage&lang=en")
    await ws.send(json.dumps({"op": "subscribe", "channel": "ceremony"}))
    return ws


async def step_shown(ws: websockets.ClientConnection, step: int, seen: list[str]) -> dict[str, Any]:
    """The first ceremony frame of that step; every frame read is kept, as sent, in `seen`."""
    while True:
        text = await asyncio.wait_for(ws.recv(), WITHIN_S)
        assert isinstance(text, str)
        seen.append(text)
        frame: dict[str, Any] = json.loads(text)
        if frame.get("channel") == "ceremony" and frame["data"]["step"] == step:
            return frame


async def jury_ready(broadcast: httpx.AsyncClient, seq: int) -> None:
    for _ in range(400):
        found = (await broadcast.get("/api/medals", headers=auth(ORGANIZER))).json()
        board = (await broadcast.get(f"/api/standings/{SKILL.id}", headers=auth(ORGANIZER))).json()
        if board.get("version", 0) >= seq and found.get("table"):
            return
        await asyncio.sleep(0.05)
    raise AssertionError("ranking never caught up")


def ids(frame: dict[str, Any]) -> list[str]:
    return [c["competitor"] for c in frame["data"]["called"]]


async def test_the_ceremony_step_by_step_with_a_tie_for_gold_and_nothing_early(
    settings: Settings,
) -> None:
    async with (
        serving(build_ranking(settings)),
        serving(build_intake(settings)) as intake_url,
        serving(build_broadcast(settings)) as first_url,
        serving(build_broadcast(settings)) as second_url,
        httpx.AsyncClient(base_url=intake_url, headers=auth(ORGANIZER)) as intake,
        httpx.AsyncClient(base_url=first_url) as broadcast,
    ):
        # Frozen before any mark: the public keeps seeing an empty board all along.
        commands: list[Command] = [
            VisibilityChanged("freeze", SKILL.id, "frozen", CHIEF.id, iso_now())
        ]
        for n, (competitor, value) in enumerate(RESULTS.marks):
            judge = judge_for(CHAMPIONSHIP, competitor).id
            commands.append(mark(f"c{n}", competitor.id, RESULTS.aspect, judge, value, SKILL.id))
        *_, last = await append(settings.nats_url, *commands)
        await jury_ready(broadcast, last)

        ws, seen = await stage(first_url), list[str]()
        for skills, status in (([SKILL.id, "knitting"], 404), ([SKILL.id, SKILL.id], 422)):
            refused = await intake.put("/api/ceremony", json={"skills": skills})
            assert refused.status_code == status
            assert refused.json()["errors"][0]["path"] == "skills[1]"
        scripted = await intake.put(
            "/api/ceremony", json={"skills": [SKILL.id], "medallions": True}
        )
        assert scripted.status_code == 201 and scripted.json()["steps"] == 8
        assert (await step_shown(ws, 0, seen))["data"]["current"] is None

        expected = [
            ("call_up", [c.id for c in RESULTS.called]),
            ("medallions", [c.id for c in RESULTS.medallions]),
            ("bronze", [c.id for c in RESULTS.bronze]),
            ("silver", []),  # two golds: no silver
            ("gold", [c.id for c in RESULTS.gold]),
        ]
        delays = []
        for step, (kind, people) in enumerate(expected, start=1):
            began = time.monotonic()
            moved = await intake.post("/api/ceremony/next")
            assert moved.status_code == 201 and moved.json()["step"] == step, moved.text
            frame = await step_shown(ws, step, seen)
            delays.append(time.monotonic() - began)
            assert frame["data"]["current"] == {"kind": kind, "skill": SKILL.id}
            assert ids(frame) == people, kind
            # Names, members and skills: no total, no rank, no scale.
            assert set(frame["data"]["called"][0].keys() if people else []) <= {
                "competitor", "name", "member", "skill",
            }  # fmt: skip
            public = (await broadcast.get(f"/api/standings/{SKILL.id}")).json()
            assert public["visibility"] == "frozen"
            assert all(r.get("total") in (0.0, None) and "medal" not in r for r in public["rows"])
        print(f"step to ceremony screen: {max(delays) * 1000:.0f} ms at most")
        assert max(delays) < 1.0

        # Whoever is revealed at a step is in no frame before it (the wire, not a page).
        revealed_at = {c.id: 2 for c in RESULTS.medallions}
        for text in seen:
            frame = json.loads(text)
            if frame.get("channel") == "ceremony":
                for person, step in revealed_at.items():
                    assert frame["data"]["step"] >= step or person not in text
        first_gold_frame = next(
            json.loads(t) for t in seen if '"kind":"gold"' in t and json.loads(t)["data"]["step"]
        )
        assert first_gold_frame["data"]["step"] == 5

        for step, kind in ((6, "medal_table"), (7, "best_of_nation"), (8, "best_overall")):
            assert (await intake.post("/api/ceremony/next")).status_code == 201
            frame = await step_shown(ws, step, seen)
            assert frame["data"]["current"]["kind"] == kind
        assert frame["data"]["current"]["skill"] is None
        assert sorted(ids(frame)) == sorted(c.id for c in RESULTS.gold)
        over = await intake.post("/api/ceremony/next")
        assert over.status_code == 409 and over.json()["title"] == "Ceremony over"

        back = await intake.post("/api/ceremony/back")
        assert back.status_code == 201 and back.json()["step"] == 7
        on_first = await step_shown(ws, 7, seen)
        # A restarted screen resumes at the current step, and the other replica agrees.
        again, other = await stage(first_url), await stage(second_url)
        assert (await step_shown(again, 7, [])) == on_first
        assert (await step_shown(other, 7, [])) == on_first
        state = (await intake.get("/api/ceremony")).json()
        assert state["step"] == 7 and state["unfinished"] == [SKILL.id]
        assert state["view"] == on_first["data"]
        for socket in (ws, again, other):
            await socket.close()


async def test_two_consoles_pressing_next_at_once_move_the_ceremony_one_step(
    settings: Settings,
) -> None:
    async with (
        serving(build_intake(settings)) as first_url,
        serving(build_intake(settings)) as second_url,
        httpx.AsyncClient(headers=auth(ORGANIZER)) as http,
    ):
        answers = await asyncio.gather(
            http.post(first_url + "/api/ceremony/next"),
            http.post(second_url + "/api/ceremony/next"),
        )
        statuses = sorted(a.status_code for a in answers)
        assert statuses in ([201, 409], [201, 201]), [a.text for a in answers]
        for _ in range(100):
            states = [(await http.get(u + "/api/ceremony")).json() for u in (first_url, second_url)]
            if states[0]["seq"] == states[1]["seq"]:
                break
            await asyncio.sleep(0.05)
        # However the race went, each press stored is one step, and both intakes agree.
        assert states[0]["step"] == states[1]["step"] == statuses.count(201)
        refused = next((a for a in answers if a.status_code == 409), None)
        if refused is not None:
            assert refused.json()["title"] == "Changed meanwhile"
