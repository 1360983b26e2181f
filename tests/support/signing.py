"""A small championship for the sign-off's tests: one skill with two forms (sub-criterion A1,
and criterion B without sub-criteria), three competitors, three experts, a chief and an
organizer; and two intakes with ranking on real NATS and Redis."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import msgspec
import redis.asyncio as aioredis

from services.intake.app import build as build_intake
from services.ranking.app import build as build_ranking
from shared.championship import Championship, Expert, load
from shared.events import Standings, standings_decoder
from shared.plumbing import keys
from shared.plumbing.settings import Settings
from tests.support.people import auth
from tests.support.services import serving

SKILL = "robots"
COMPETITORS = ("C1", "C2", "C3")
EXPERTS = ("E1", "E2", "E3")


def small_championship() -> dict[str, Any]:
    members = [{"code": code, "name": f"Member {code}"} for code in ("X", "Y", "Z")]
    aspects = [
        {"id": "M1", "kind": "measurement", "max_mark": 10, "sub_criterion": "A1"},
        {"id": "J1", "kind": "judgement", "max_mark": 10, "sub_criterion": "A1"},
    ]
    return {
        "id": "signing",
        "name": "Sign-off Cup",
        "languages": ["en", "kk", "ru", "tr", "az", "hu", "uz", "ky"],
        "members": members,
        "skills": [
            {
                "id": SKILL,
                "name": "Robots",
                "rules": {"allow_compatriot_marking": True},
                "criteria": [
                    {
                        "id": "A",
                        "name": "Design",
                        "sub_criteria": [{"id": "A1", "name": "Drawings"}],
                        "aspects": aspects,
                    },
                    {
                        "id": "B",
                        "name": "Test run",
                        "aspects": [{"id": "B1", "kind": "measurement", "max_mark": 80}],
                    },
                ],
            },
            {
                "id": "cooking",
                "name": "Cooking",
                "criteria": [
                    {
                        "id": "K",
                        "name": "Taste",
                        "aspects": [{"id": "K1", "kind": "measurement", "max_mark": 100}],
                    }
                ],
            },
        ],
        "competitors": [
            *(
                {"id": c, "name": f"Competitor {c}", "member": m, "skill": SKILL}
                for c, m in zip(COMPETITORS, ("X", "Y", "Z"), strict=True)
            ),
            {"id": "K-C1", "name": "Cook", "member": "X", "skill": "cooking"},
        ],
        "experts": [
            *(
                {"id": e, "name": f"Expert {e}", "member": m, "skill": SKILL, "role": "expert"}
                for e, m in zip(EXPERTS, ("X", "Y", "Z"), strict=True)
            ),
            {"id": "CH", "name": "Chief", "member": "X", "skill": SKILL, "role": "chief"},
            {"id": "OR", "name": "Organizer", "member": "Y", "role": "organizer"},
            {
                "id": "K1",
                "name": "Cooking expert",
                "member": "Y",
                "skill": "cooking",
                "role": "expert",
            },
            {
                "id": "KCH",
                "name": "Cooking chief",
                "member": "Z",
                "skill": "cooking",
                "role": "chief",
            },
        ],
    }


def written(directory: Path) -> tuple[Path, Championship]:
    path = directory / "signing.json"
    path.write_text(json.dumps(small_championship()))
    return path, load(path)


@dataclass
class Jury:
    """Two intakes and what the people sign in as."""

    a: httpx.AsyncClient
    b: httpx.AsyncClient
    championship: Championship

    def person(self, person: str) -> dict[str, str]:
        expert: Expert = self.championship.index.experts[person]
        return auth(expert)

    async def mark(
        self, on: httpx.AsyncClient, person: str, mark_id: str, competitor: str, aspect: str,
        value: float | None,
    ) -> httpx.Response:  # fmt: skip
        body = {"id": mark_id, "competitor": competitor, "aspect": aspect, "value": value}
        return await on.post("/api/marks", json=body, headers=self.person(person))

    async def form(self, on: httpx.AsyncClient, form: str, person: str = "CH") -> dict[str, Any]:
        answer = await on.get(f"/api/skills/{SKILL}/forms/{form}", headers=self.person(person))
        assert answer.status_code == 200, answer.text
        found: dict[str, Any] = answer.json()
        return found

    async def sign(
        self, on: httpx.AsyncClient, form: str, person: str, digest: str
    ) -> httpx.Response:
        path = f"/api/skills/{SKILL}/forms/{form}/signoff"
        return await on.post(path, json={"digest": digest}, headers=self.person(person))


@contextlib.asynccontextmanager
async def intakes(settings: Settings, championship: Championship) -> AsyncIterator[Jury]:
    async with (
        serving(build_intake(settings)) as one,
        serving(build_intake(settings)) as two,
        httpx.AsyncClient(base_url=one) as a,
        httpx.AsyncClient(base_url=two) as b,
    ):
        yield Jury(a, b, championship)


@contextlib.asynccontextmanager
async def ranking(settings: Settings) -> AsyncIterator[None]:
    async with serving(build_ranking(settings)):
        yield


async def standings(settings: Settings) -> Standings | None:
    """The skill's standings as ranking last stored them."""
    redis = aioredis.from_url(settings.redis_url)
    try:
        data = await redis.hget(keys.standings(SKILL), "data")
    finally:
        await redis.aclose()
    return None if data is None else standings_decoder.decode(data).standings


def settings_for(settings: Settings, path: Path) -> Settings:
    return msgspec.structs.replace(settings, championship=str(path))
