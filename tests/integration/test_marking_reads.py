"""The reads behind the marking page and the chief's panel (`/api/me`, `/api/me/marks`,
`/api/skills/{skill}/board`) and the pages themselves, against real NATS, Redis and ranking."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from typing import Any

import httpx
import pytest

from shared.plumbing.tokens import Verifier
from tests.support.eventually import eventually
from tests.support.people import SECRET, auth, demo
from tests.support.servers import Server

CHAMPIONSHIP = demo()
SKILL = CHAMPIONSHIP.index.skills["mobile-robotics"]
PEOPLE = CHAMPIONSHIP.index.experts
EXPERT, SECOND, THIRD = PEOPLE["E-TR-MR"], PEOPLE["E-KG-MR"], PEOPLE["E-UZ-MR"]
CHIEF = PEOPLE["C-MR"]
OTHER_CHIEF = next(e for e in CHAMPIONSHIP.experts if e.role == "chief" and e.skill != SKILL.id)
ORGANIZER = next(e for e in CHAMPIONSHIP.experts if e.role == "organizer")
COMPETITOR = "AZ-MR-1"
MEASURED = next(a for _, a in SKILL.aspects if a.kind == "measurement")
JUDGED = [a for _, a in SKILL.aspects if a.kind == "judgement"]


# Ranking runs too: the reads show what it applied.
pytestmark = pytest.mark.usefixtures("ranking")


async def post(client: httpx.AsyncClient, who: str, mark_id: str, aspect: str, value: float) -> int:
    body = {"id": mark_id, "competitor": COMPETITOR, "aspect": aspect, "value": value}
    response = await client.post("/api/marks", json=body, headers=auth(PEOPLE[who]))
    assert response.status_code == 201, response.text
    seq: int = response.json()["seq"]
    return seq


async def read(client: httpx.AsyncClient, path: str, who: str, seq: int = 0) -> dict[str, Any]:
    """The answer once ranking has applied `seq` (and published the board that includes it)."""

    async def answer() -> dict[str, Any]:
        found: dict[str, Any] = (await client.get(path, headers=auth(PEOPLE[who]))).json()
        return found

    return await eventually(
        answer,
        lambda found: found["applied"] >= seq and found.get("version", seq) >= seq,
        what=f"{path} including seq {seq}",
    )


async def test_who_is_signed_in(intake: httpx.AsyncClient) -> None:
    me = await intake.get("/api/me", headers=auth(EXPERT))
    assert me.json() == {
        "id": EXPERT.id,
        "name": EXPERT.name,
        "role": "expert",
        "member": EXPERT.member,
        "skill": SKILL.id,
    }
    assert me.headers["cache-control"] == "no-store"
    assert (await intake.get("/api/me", headers=auth(ORGANIZER))).json()["skill"] is None
    refused = await intake.get("/api/me")
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"


async def test_the_sheet_lists_whom_to_mark_own_marks_locks_and_pending_panels(
    intake: httpx.AsyncClient,
) -> None:
    await post(intake, "E-TR-MR", "s-1", MEASURED.id, 2.5)
    seq = await post(intake, "E-TR-MR", "s-2", JUDGED[0].id, 2)
    await post(intake, "E-KG-MR", "s-3", JUDGED[1].id, 1)
    sheet = await read(intake, "/api/me/marks", EXPERT.id, seq + 1)
    assert sheet["skill"] == SKILL.id and sheet["locked"] == [] and sheet["visibility"] == "live"
    everyone = [c.id for c in CHAMPIONSHIP.index.competitors_of(SKILL.id)]
    assert sheet["competitors"] == [c for c in everyone if not c.startswith("TR-")]
    mine = {(m["competitor"], m["aspect"]): m["value"] for m in sheet["marks"]}
    # The measurement stands whoever entered it; of judgements only the expert's own score.
    assert mine == {(COMPETITOR, MEASURED.id): 2.5, (COMPETITOR, JUDGED[0].id): 2}
    assert {(p["aspect"], p["state"], p["judges"]) for p in sheet["panels"]} == {
        (JUDGED[0].id, "pending", 1),
        (JUDGED[1].id, "pending", 1),
    }
    locked = await intake.post(
        f"/api/skills/{SKILL.id}/locks", json={"criterion": "B"}, headers=auth(CHIEF)
    )
    assert locked.status_code == 201
    assert (await intake.get("/api/me/marks", headers=auth(EXPERT))).json()["locked"] == ["B"]
    sub = SKILL.criteria[0].sub_criteria[0].id
    locked = await intake.post(
        f"/api/skills/{SKILL.id}/locks", json={"sub_criterion": sub}, headers=auth(CHIEF)
    )
    assert locked.status_code == 201
    sheet = (await intake.get("/api/me/marks", headers=auth(EXPERT))).json()
    assert (sheet["locked"], sheet["locked_sub_criteria"]) == (["B"], [sub])
    organizer = await intake.get("/api/me/marks", headers=auth(ORGANIZER))
    assert organizer.status_code == 403 and organizer.json()["title"] == "Organizers do not mark"


async def test_the_jury_board_shows_progress_and_the_scores_behind_open_panels(
    intake: httpx.AsyncClient,
) -> None:
    await post(intake, "E-TR-MR", "b-1", MEASURED.id, 1.0)
    await post(intake, "E-TR-MR", "b-2", JUDGED[0].id, 0)
    await post(intake, "E-KG-MR", "b-3", JUDGED[0].id, 3)
    await post(intake, "E-UZ-MR", "b-4", JUDGED[0].id, 3)
    seq = await post(intake, "E-TR-MR", "b-5", JUDGED[1].id, 2)
    path = f"/api/skills/{SKILL.id}/board"
    board = await read(intake, path, CHIEF.id, seq)
    assert board["visibility"] == "live" and board["revealed"] == 0 and board["locked"] == []
    [disputed] = board["disputed"]
    assert (disputed["competitor"], disputed["aspect"]) == (COMPETITOR, JUDGED[0].id)
    assert sorted((s["expert"], s["score"]) for s in disputed["scores"]) == [
        ("E-KG-MR", 3),
        ("E-TR-MR", 0),
        ("E-UZ-MR", 3),
    ]
    assert disputed["scores"][0]["name"] == SECOND.name
    [pending] = board["pending"]
    assert pending["aspect"] == JUDGED[1].id and pending["scores"][0]["score"] == 2
    row = next(r for r in board["rows"] if r["competitor"] == COMPETITOR)
    criterion = next(c for c in SKILL.criteria if MEASURED in c.aspects)
    assert row["criteria"][criterion.id] == {"counted": 1, "of": len(criterion.aspects)}
    assert row["total"] == 1.0 and row["rank"] == 1
    assert board["criteria"][criterion.id]["counted"] == 1
    assert board["criteria"][criterion.id]["of"] == len(criterion.aspects) * len(board["rows"])
    # The same progress by sub-criterion, for the chief who signs off one form at a time.
    sub = [a for a in criterion.aspects if a.sub_criterion == MEASURED.sub_criterion]
    assert board["sub_criteria"][MEASURED.sub_criterion] == {
        "counted": 1,
        "of": len(sub) * len(board["rows"]),
    }
    assert board["locked_sub_criteria"] == []
    assert (await intake.get(path, headers=auth(ORGANIZER))).status_code == 200
    for outsider in (EXPERT, OTHER_CHIEF):
        assert (await intake.get(path, headers=auth(outsider))).status_code == 403
    assert (await intake.get("/api/skills/nope/board", headers=auth(ORGANIZER))).status_code == 404


@pytest.mark.own_servers
async def test_the_reads_answer_503_while_redis_is_away(
    intake: httpx.AsyncClient, redis: Server
) -> None:
    redis.stop()
    for path, who in (("/api/me/marks", EXPERT), (f"/api/skills/{SKILL.id}/board", CHIEF)):
        response = await intake.get(path, headers=auth(who))
        assert response.status_code == 503, response.text
        assert response.headers["content-type"] == "application/problem+json"
    assert (await intake.get("/api/me", headers=auth(EXPERT))).status_code == 200


async def test_the_pages_run_under_a_strict_policy_with_files_of_their_own(
    intake: httpx.AsyncClient,
) -> None:
    for path in ("/mark", "/chief"):
        page = await intake.get(path)
        assert page.status_code == 200
        policy = page.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "unsafe-inline" not in policy
        scripts = re.findall(r"<script([^>]*)>", page.text)
        assert all("src=" in s or 'type="application/json"' in s for s in scripts)
        for src in re.findall(r'(?:src|href)="(/[^"]+)"', page.text):
            assert (await intake.get(src)).status_code == 200, src
        assert "http://" not in page.text and "https://" not in page.text
    assert (await intake.get("/sw.js")).headers["content-type"].startswith("text/javascript")


def test_podium_token_link_prints_the_sign_in_address() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PODIUM_")}
    env["PODIUM_SECRET"] = SECRET
    argv = [sys.executable, "-m", "services", "token", EXPERT.id, "--link"]
    argv += ["--host", "10.0.0.5", "--intake-port", "9001"]
    printed = subprocess.run(argv, check=True, capture_output=True, text=True, env=env).stdout
    address, _, signed = printed.strip().partition("#token=")
    assert address == "http://10.0.0.5:9001/mark"
    assert Verifier(SECRET).verify(signed).expert == EXPERT.id
