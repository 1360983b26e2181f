"""Named screens against real NATS and Redis: the crew's assignments through intake reach every
broadcast replica's screens, screens report themselves, and only organizers run the hall."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import httpx
import websockets

from services.broadcast.app import build as build_broadcast
from services.intake.app import build as build_intake
from shared.plumbing.settings import Settings
from tests.support.people import auth, demo
from tests.support.services import serving

CHAMPIONSHIP = demo()
SKILL, OTHER = CHAMPIONSHIP.skills[:2]
ORGANIZER = next(e for e in CHAMPIONSHIP.experts if e.role == "organizer")
CHIEF = next(e for e in CHAMPIONSHIP.experts if e.role == "chief")
EXPERT = next(e for e in CHAMPIONSHIP.experts if e.role == "expert")
WITHIN_S = 10.0


async def screen(url: str, name: str, lang: str = "en") -> websockets.ClientConnection:
    """A named display's feed connection, listening to the crew's assignments."""
    ws = await websockets.connect(url.replace("http", "ws") + f"/ws?screen={name}&lang={lang}")
    await ws.send(json.dumps({"op": "subscribe", "channel": "screens"}))
    return ws


async def assignment(ws: websockets.ClientConnection, name: str, wanted: object) -> float:
    """Seconds until the screen is told `wanted` (None: nothing assigned to it)."""
    began = time.monotonic()
    while True:
        frame: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), WITHIN_S))
        if frame.get("channel") == "screens" and frame["data"]["screens"].get(name) == wanted:
            return time.monotonic() - began


async def test_assignments_reach_the_named_screens_of_every_replica_within_a_second(
    settings: Settings,
) -> None:
    async with (
        serving(build_intake(settings)) as intake_url,
        serving(build_broadcast(settings)) as first_url,
        serving(build_broadcast(settings)) as second_url,
        httpx.AsyncClient(base_url=intake_url, headers=auth(ORGANIZER)) as intake,
    ):
        first, second = await screen(first_url, "hall-a", "kk"), await screen(second_url, "hall-a")
        assert await assignment(first, "hall-a", None) < WITHIN_S
        delays = []
        for show in (
            {"show": "skill", "skill": SKILL.id},
            {"show": "rotation", "skills": [OTHER.id, SKILL.id], "every": 20},
            {"show": "message", "text": "Lunch until 14:00"},
        ):
            began = time.monotonic()
            stored = await intake.put("/api/screens/hall-a", json=show)
            assert stored.status_code == 201, stored.text
            assert stored.json()["show"] == show
            await assignment(first, "hall-a", show)
            await assignment(second, "hall-a", show)
            delays.append(time.monotonic() - began)
        print(f"assignment to both replicas' screens: {max(delays) * 1000:.0f} ms at most")
        assert max(delays) < 1.0
        # A screen that connects again (or a replica's new screen) is told at once.
        again = await screen(second_url, "hall-a")
        assert await assignment(again, "hall-a", {"show": "message", "text": "Lunch until 14:00"})
        for ws in (first, second, again):
            await ws.close()


async def test_the_crew_sees_each_screen_what_it_shows_and_whether_it_is_there(
    settings: Settings,
) -> None:
    async with (
        serving(build_intake(settings)) as intake_url,
        serving(build_broadcast(settings)) as broadcast_url,
        httpx.AsyncClient(base_url=intake_url, headers=auth(ORGANIZER)) as intake,
    ):
        assigned = {"show": "medals"}
        assert (await intake.put("/api/screens/podium-left", json=assigned)).status_code == 201
        ws = await screen(broadcast_url, "stage-2", "ru")

        async def listed(name: str, connected: bool) -> dict[str, Any]:
            deadline = time.monotonic() + WITHIN_S
            while time.monotonic() < deadline:
                screens = (await intake.get("/api/screens")).json()["screens"]
                found: dict[str, Any] | None = next((s for s in screens if s["name"] == name), None)
                if found is not None and found["connected"] is connected:
                    return found
                await asyncio.sleep(0.05)
            raise AssertionError(f"{name} never listed with connected={connected}")

        there = await listed("stage-2", connected=True)
        assert there["language"] == "ru" and there["show"] is None
        assert there["connected_since"] and there["last_seen"]
        never_seen = await listed("podium-left", connected=False)
        assert never_seen["show"] == assigned and never_seen["last_seen"] is None
        assert never_seen["assigned_by"] == ORGANIZER.id
        await ws.close()
        gone = await listed("stage-2", connected=False)
        assert gone["last_seen"] >= there["last_seen"] and gone["connected_since"] is None


async def test_only_organizers_run_the_hall_and_bad_assignments_are_refused(
    settings: Settings,
) -> None:
    async with (
        serving(build_intake(settings)) as url,
        httpx.AsyncClient(base_url=url) as intake,
    ):
        controls: list[tuple[str, str, object]] = [
            ("GET", "/api/screens", None),
            ("PUT", "/api/screens/hall-a", {"show": "medals"}),
            ("GET", "/api/ceremony", None),
            ("PUT", "/api/ceremony", {"medallions": True}),
            ("POST", "/api/ceremony/next", None),
            ("POST", "/api/ceremony/back", None),
        ]
        for method, path, body in controls:
            assert (await intake.request(method, path, json=body)).status_code == 401, path
            for person in (EXPERT, CHIEF):
                refused = await intake.request(method, path, json=body, headers=auth(person))
                assert refused.status_code == 403, (path, person.role)
                assert refused.headers["content-type"] == "application/problem+json"
                assert person.id in refused.json()["detail"]

        def put(name: str, body: object) -> Any:
            return intake.put(f"/api/screens/{name}", json=body, headers=auth(ORGANIZER))

        unknown: list[tuple[object, str]] = [
            ({"show": "skill", "skill": "knitting"}, "skill"),
            ({"show": "rotation", "skills": [SKILL.id, "knitting"]}, "skills[1]"),
        ]
        for body, path in unknown:
            refused = await put("hall-a", body)
            assert refused.status_code == 404 and refused.json()["code"] == "unknown_skill"
            assert refused.json()["errors"][0]["path"] == path, refused.json()
        cases: list[tuple[str, object, str]] = [
            ("hall-a", {"show": "rotation", "skills": [SKILL.id, SKILL.id]}, "skills[1]"),
            ("hall-a", {"show": "rotation", "skills": []}, "skills"),
            ("hall-a", {"show": "rotation", "skills": [SKILL.id], "every": 1}, "every"),
            ("hall-a", {"show": "message", "text": "  "}, "text"),
            ("hall-a", {"show": "medals", "extra": 1}, "extra"),
            ("hall-a", {"show": "dancing"}, "show"),
            ("hall.a", {"show": "medals"}, "name"),
        ]
        for name, body, path in cases:
            refused = await put(name, body)
            assert refused.status_code == 422, (body, refused.text)
            assert refused.json()["errors"][0]["path"] == path, refused.json()
        screens = (await intake.get("/api/screens", headers=auth(ORGANIZER))).json()["screens"]
        assert screens == []  # nothing refused was stored
