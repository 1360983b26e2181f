"""Intake's names, against real NATS and Redis: the championship anyone may read names
competitors by their public names and carries no experts, birth dates or consents; the pages
open to anyone name no one; the signed-in person's roster names their skill's competitors in
full, beside the public name (docs/privacy.md)."""

from __future__ import annotations

import re

import httpx

from shared.public.view import public_championship
from tests.support.people import auth, demo

CHAMPIONSHIP = demo()
PUBLIC = public_championship(CHAMPIONSHIP).index.competitors
HIDDEN = [c for c in CHAMPIONSHIP.competitors if PUBLIC[c.id].name != c.name]
EXPERT = next(e for e in CHAMPIONSHIP.experts if e.role == "expert" and e.skill == HIDDEN[0].skill)
ORGANIZER = next(e for e in CHAMPIONSHIP.experts if e.role == "organizer")


async def test_the_public_championship_names_no_one_in_full(intake: httpx.AsyncClient) -> None:
    answer = await intake.get("/api/championship")
    text = answer.text
    assert "birth_date" not in text and "consent" not in text and "experts" not in text
    found = {c["id"]: c["name"] for c in answer.json()["competitors"]}
    assert found == {c.id: PUBLIC[c.id].name for c in CHAMPIONSHIP.competitors}
    assert HIDDEN and not any(c.name in text for c in HIDDEN)
    for page in ("/mark", "/chief"):
        html = (await intake.get(page)).text
        embedded = re.search(r'<script id="championship"[^>]*>(.*?)</script>', html, re.S)
        assert embedded is not None and '"competitors"' not in embedded.group(1)
        assert not any(c.name in html for c in CHAMPIONSHIP.competitors)


async def test_the_roster_names_in_full_behind_the_token(intake: httpx.AsyncClient) -> None:
    assert (await intake.get("/api/competitors")).status_code == 401
    mine = await intake.get("/api/competitors", headers=auth(EXPERT))
    assert mine.status_code == 200 and mine.headers["cache-control"] == "no-store"
    rows = mine.json()["competitors"]
    assert {r["id"] for r in rows} == {
        c.id for c in CHAMPIONSHIP.index.competitors_of(HIDDEN[0].skill)
    }
    hidden = next(r for r in rows if r["id"] == HIDDEN[0].id)
    assert hidden["name"] == HIDDEN[0].name and hidden["public_name"] == PUBLIC[HIDDEN[0].id].name
    assert "birth_date" not in mine.text and "consent" not in mine.text
    every = (await intake.get("/api/competitors", headers=auth(ORGANIZER))).json()
    assert len(every["competitors"]) == len(CHAMPIONSHIP.competitors)
