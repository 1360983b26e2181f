"""`GET /api/skills/{skill}/judges` against real NATS, Redis and ranking: who may read it, a
withdrawn score leaving the table, and a compatriot score counted where the skill allows it;
and `podium export judges` writing the same table as a sheet."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest
from openpyxl import load_workbook

from services.intake.app import build as build_intake
from services.ranking.app import build as build_ranking
from services.tools.cli import main
from shared.plumbing.settings import DEMO_CHAMPIONSHIP_JSON, Settings
from tests.support.eventually import eventually
from tests.support.people import auth, demo
from tests.support.services import serving

CHAMPIONSHIP = demo()
SKILL = CHAMPIONSHIP.index.skills["mobile-robotics"]
PEOPLE = CHAMPIONSHIP.index.experts
CHIEF = PEOPLE["C-MR"]
OTHER_CHIEF = next(e for e in CHAMPIONSHIP.experts if e.role == "chief" and e.skill != SKILL.id)
ORGANIZER = next(e for e in CHAMPIONSHIP.experts if e.role == "organizer")
# AZ-MR-1 is a compatriot of E-AZ-MR, which this skill allows here (see `env`).
COMPETITOR = "AZ-MR-1"
ASPECT = next(a for _, a in SKILL.aspects if a.kind == "judgement").id
PATH = f"/api/skills/{SKILL.id}/judges"


@pytest.fixture
def env(settings: Settings, tmp_path: Path) -> Settings:
    """The demo championship, with compatriot marking allowed in mobile robotics."""
    raw = json.loads(DEMO_CHAMPIONSHIP_JSON.read_text())
    skill = next(s for s in raw["skills"] if s["id"] == SKILL.id)
    skill.setdefault("rules", {})["allow_compatriot_marking"] = True
    path = tmp_path / "championship.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    return msgspec.structs.replace(settings, championship=str(path))


@pytest.fixture
async def intake(env: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with (
        serving(build_ranking(env)),
        serving(build_intake(env)) as url,
        httpx.AsyncClient(base_url=url) as client,
    ):
        yield client


async def score(client: httpx.AsyncClient, who: str, mark_id: str, value: int | None) -> int:
    body = {"id": mark_id, "competitor": COMPETITOR, "aspect": ASPECT, "value": value}
    response = await client.post("/api/marks", json=body, headers=auth(PEOPLE[who]))
    assert response.status_code == 201, response.text
    seq: int = response.json()["seq"]
    return seq


async def table(client: httpx.AsyncClient, seq: int) -> dict[str, dict[str, Any]]:
    """The chief's table once ranking has applied `seq`, by expert."""

    async def answer() -> dict[str, Any]:
        response = await client.get(PATH, headers=auth(CHIEF))
        assert response.status_code == 200, response.text
        assert response.headers["cache-control"] == "no-store"
        found: dict[str, Any] = response.json()
        return found

    found = await eventually(answer, lambda f: f["applied"] >= seq, what=f"{PATH} at {seq}")
    assert found["skill"] == SKILL.id
    return {row["expert"]: row for row in found["judges"]}


async def test_the_skills_chief_and_organizers_read_it_and_nobody_else(
    intake: httpx.AsyncClient,
) -> None:
    assert (await intake.get(PATH)).status_code == 401
    for outsider in (PEOPLE["E-KZ-MR"], OTHER_CHIEF):
        refused = await intake.get(PATH, headers=auth(outsider))
        assert refused.status_code == 403
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["code"] == "jury_only"
    for jury in (CHIEF, ORGANIZER):
        answered = await intake.get(PATH, headers=auth(jury))
        assert answered.status_code == 200
        assert answered.json() == {"skill": SKILL.id, "judges": [], "applied": 0}
    unknown = await intake.get("/api/skills/knitting/judges", headers=auth(ORGANIZER))
    assert unknown.status_code == 404


async def test_a_withdrawn_score_leaves_the_table_and_a_compatriot_score_counts(
    intake: httpx.AsyncClient,
) -> None:
    await score(intake, "E-KZ-MR", "j-1", 3)
    await score(intake, "E-TR-MR", "j-2", 2)
    await score(intake, "E-AZ-MR", "j-3", 1)
    seq = await score(intake, "E-UZ-MR", "j-4", 0)
    rows = await table(intake, seq)
    assert set(rows) == {"E-KZ-MR", "E-TR-MR", "E-AZ-MR", "E-UZ-MR"}
    # 1 beside the others' 3, 2 and 0: d = 1 - 5/3; far from the 3.
    assert rows["E-AZ-MR"]["deviation"] == -0.667 and rows["E-AZ-MR"]["far"] == 1
    assert rows["E-AZ-MR"]["compatriot_scores"] == 1
    assert rows["E-AZ-MR"]["by_member"] == {"AZ": -0.667}
    assert rows["E-KZ-MR"]["compatriot_scores"] == 0 and rows["E-KZ-MR"]["flagged"]

    seq = await score(intake, "E-UZ-MR", "j-5", None)
    rows = await table(intake, seq)
    assert set(rows) == {"E-KZ-MR", "E-TR-MR", "E-AZ-MR"}
    # Without the withdrawn 0: 1 beside 3 and 2.
    assert rows["E-AZ-MR"]["deviation"] == -1.5 and rows["E-AZ-MR"]["abs_deviation"] == 1.5
    assert rows["E-KZ-MR"]["deviation"] == 1.5

    # Unchanged since this answer: 304 after one small read; changed: the table again.
    known = (await intake.get(PATH, headers=auth(CHIEF))).headers["etag"]
    unchanged = await intake.get(PATH, headers={**auth(CHIEF), "If-None-Match": known})
    assert unchanged.status_code == 304 and unchanged.headers["etag"] == known
    refused = await intake.get(PATH, headers={**auth(PEOPLE["E-KZ-MR"]), "If-None-Match": known})
    assert refused.status_code == 403
    seq = await score(intake, "E-AZ-MR", "j-6", 2)
    rows = await table(intake, seq)
    changed = await intake.get(PATH, headers={**auth(CHIEF), "If-None-Match": known})
    assert changed.status_code == 200 and changed.headers["etag"] == f'"{seq}"'
    assert rows["E-AZ-MR"]["scores"] == 1 and rows["E-AZ-MR"]["mean_score"] == 2.0
    assert rows["E-AZ-MR"]["deviation"] == -0.5 and rows["E-AZ-MR"]["far"] == 0


async def test_the_export_writes_the_table_the_chief_reads(
    intake: httpx.AsyncClient,
    env: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for variable, value in (
        ("PODIUM_NATS_URL", env.nats_url),
        ("PODIUM_REDIS_URL", env.redis_url),
        ("PODIUM_CHAMPIONSHIP", env.championship),
    ):
        monkeypatch.setenv(variable, value)
    await score(intake, "E-KZ-MR", "x-1", 3)
    await score(intake, "E-TR-MR", "x-2", 1)
    seq = await score(intake, "E-AZ-MR", "x-3", 2)
    rows = await table(intake, seq)

    sheet = tmp_path / "judges.csv"
    assert (
        await asyncio.to_thread(main, ["export", "judges", "--skill", SKILL.id, "-o", str(sheet)])
        == 0
    )
    assert "3 judges of mobile-robotics, to look at: E-KZ-MR, E-TR-MR" in capsys.readouterr().err
    lines = list(csv.DictReader(io.StringIO(sheet.read_text(encoding="utf-8"))))
    assert [line["expert"] for line in lines] == ["E-KZ-MR", "E-TR-MR", "E-AZ-MR"]
    kind = lines[0]
    assert (kind["skill"], kind["deviation"], kind["far"], kind["flagged"]) == (
        SKILL.id,
        str(rows["E-KZ-MR"]["deviation"]),
        "1",
        "True",
    )
    assert (kind["by_member AZ"], lines[2]["compatriot_scores"]) == ("1.5", "1")

    book = tmp_path / "judges.xlsx"
    assert (
        await asyncio.to_thread(main, ["export", "judges", "--skill", SKILL.id, "-o", str(book)])
        == 0
    )
    cells = list(load_workbook(book)["Judges"].values)
    assert cells[0][:4] == ("skill", "expert", "name", "member")
    assert cells[1][1] == "E-KZ-MR" and cells[1][6] == rows["E-KZ-MR"]["deviation"]

    wrong = ["export", "judges", "--skill", SKILL.id, "-o", str(tmp_path / "judges.txt")]
    assert await asyncio.to_thread(main, wrong) == 2
    assert await asyncio.to_thread(main, ["export", "judges", "--skill", "knitting"]) == 2
