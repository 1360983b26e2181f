"""Tokens that must not open anything, and answers that must never carry a token or the
secret: intake's API, broadcast's read API and feed, the pages, metrics and documents."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import websockets

from services.broadcast.app import build as build_broadcast
from services.intake.app import build as build_intake
from services.ranking.app import build as build_ranking
from shared.plumbing.settings import Settings
from shared.plumbing.tokens import Identity, issue
from tests.support.people import SECRET, demo, judge_for, token_of
from tests.support.services import serving

CHAMPIONSHIP = demo()
SKILL = CHAMPIONSHIP.skills[0]
COMPETITOR = CHAMPIONSHIP.index.competitors_of(SKILL.id)[0]
JUDGE = judge_for(CHAMPIONSHIP, COMPETITOR)
CHIEF = next(e for e in CHAMPIONSHIP.experts if e.skill == SKILL.id and e.role == "chief")
OTHER_CHIEF = next(e for e in CHAMPIONSHIP.experts if e.skill != SKILL.id and e.role == "chief")
MEASURE = next(a for _, a in SKILL.aspects if a.kind == "measurement")

BAD_TOKENS = {
    "tampered": token_of(CHIEF)[:-6] + "AAAAAA",
    "expired": issue(Identity(CHIEF.id, CHIEF.role), SECRET, -1),
    "another secret": token_of(CHIEF, "some-other-secret-of-thirty-two-characters"),
    "a role not held": issue(Identity(JUDGE.id, "organizer"), SECRET, 3600),
    "a person not in the championship": issue(Identity("E-NOBODY", "organizer"), SECRET, 3600),
    "garbage": "x.y.z",
}


@pytest.mark.parametrize("why", sorted(BAD_TOKENS))
async def test_a_bad_token_opens_nothing(settings: Settings, why: str) -> None:
    bearer = {"Authorization": f"Bearer {BAD_TOKENS[why]}"}
    mark = {"id": "sec-1", "competitor": COMPETITOR.id, "aspect": MEASURE.id, "value": 1.0}
    async with (
        serving(build_intake(settings)) as intake_url,
        serving(build_broadcast(settings)) as broadcast_url,
        httpx.AsyncClient() as http,
    ):
        asked = [
            await http.post(f"{intake_url}/api/marks", json=mark, headers=bearer),
            await http.post(
                f"{intake_url}/api/skills/{SKILL.id}/locks", json={"criterion": "A"}, headers=bearer
            ),
            await http.get(f"{intake_url}/api/audit", headers=bearer),
            await http.get(f"{intake_url}/api/me", headers=bearer),
            await http.get(f"{broadcast_url}/api/standings/{SKILL.id}", headers=bearer),
            await http.get(f"{broadcast_url}/api/medals", params={"token": BAD_TOKENS[why]}),
        ]
        assert [a.status_code for a in asked[:4]] == [401, 401, 401, 401], why
        # The read API is public; a bad token asking for the jury's view is refused, not ignored.
        assert [a.status_code for a in asked[4:]] == [401, 401], why
        ws_url = broadcast_url.replace("http", "ws") + f"/ws?token={BAD_TOKENS[why]}"
        async with websockets.connect(ws_url) as ws:
            told = json.loads(await ws.recv())
        assert told["type"] == "error" and told["code"] == "bad_token"


async def test_a_crafted_request_cannot_mark_outside_the_rules(settings: Settings) -> None:
    compatriot = next(
        e for e in CHAMPIONSHIP.experts if e.skill == SKILL.id and e.member == COMPETITOR.member
    )
    outsider = next(e for e in CHAMPIONSHIP.experts if e.skill != SKILL.id and e.role == "expert")
    organizer = next(e for e in CHAMPIONSHIP.experts if e.role == "organizer")
    mark: dict[str, Any] = {"competitor": COMPETITOR.id, "aspect": MEASURE.id, "value": 1.0}
    async with serving(build_intake(settings)) as url, httpx.AsyncClient(base_url=url) as http:
        for n, who in enumerate((compatriot, outsider, organizer)):
            crafted = {**mark, "id": f"crafted-{n}", "expert": JUDGE.id, "skill": SKILL.id}
            headers = {"Authorization": f"Bearer {token_of(who)}"}
            plain = await http.post(
                "/api/marks", json={**mark, "id": f"plain-{n}"}, headers=headers
            )
            assert plain.status_code == 403, (who.id, plain.text)
            # Naming another expert or skill in the body is not a way round: unknown fields.
            forged = await http.post("/api/marks", json=crafted, headers=headers)
            assert forged.status_code == 422, forged.text
        other_skill = await http.put(
            f"/api/skills/{SKILL.id}/visibility",
            json={"mode": "final"},
            headers={"Authorization": f"Bearer {token_of(OTHER_CHIEF)}"},
        )
        assert other_skill.status_code == 403


async def test_no_answer_carries_a_token_or_the_secret(settings: Settings) -> None:
    token = token_of(CHIEF)
    bearer = {"Authorization": f"Bearer {token}"}
    async with (
        serving(build_ranking(settings)),
        serving(build_intake(settings)) as intake_url,
        serving(build_broadcast(settings)) as broadcast_url,
        httpx.AsyncClient() as http,
    ):
        mark = {"id": "sec-2", "competitor": COMPETITOR.id, "aspect": MEASURE.id, "value": 1.0}
        judge = {"Authorization": f"Bearer {token_of(JUDGE)}"}
        assert (await http.post(f"{intake_url}/api/marks", json=mark, headers=judge)).is_success
        answers = []
        for path in (
            "/api/championship",
            "/openapi.json",
            "/metrics",
            "/readyz",
            "/mark",
            "/chief",
            f"/api/audit?skill={SKILL.id}",
            "/api/me",
            f"/api/skills/{SKILL.id}/board",
            "/api/nowhere",
        ):
            answers.append(await http.get(intake_url + path, headers=bearer))
        for path in (
            "/",
            "/display",
            "/api/standings",
            f"/api/standings/{SKILL.id}?token={token}",
            "/api/medals",
            "/metrics",
            "/readyz",
        ):
            answers.append(await http.get(broadcast_url + path))
        async with websockets.connect(
            broadcast_url.replace("http", "ws") + f"/ws?token={token}"
        ) as ws:
            await ws.send(json.dumps({"op": "subscribe", "channel": f"standings:{SKILL.id}"}))
            frame = await ws.recv()
    texts = [a.text for a in answers] + [str(frame)]
    for text in texts:
        assert token not in text and SECRET not in text
        assert token.split(".")[2] not in text  # not even the signature
