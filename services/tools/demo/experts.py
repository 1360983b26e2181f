"""`podium demo`: simulated experts marking a championship day through intake's public API.

The day is planned from a seed, and each mark's id is derived from what it marks, so a demo
that is restarted (or run twice against the same data) re-sends the same marks with the
same ids, and intake stores each once.
"""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass

import httpx

from services.tools.demo.signing import Closing, sign
from shared.championship import Championship, Competitor, Expert, Skill
from shared.plumbing.tokens import Identity, issue

log = logging.getLogger("podium.demo")

RETRY_S = 1.0
TOKEN_TTL_S = 24 * 3600


@dataclass(frozen=True)
class PlannedMark:
    id: str
    expert: str
    competitor: str
    aspect: str
    value: float


def day_plan(championship: Championship, seed: int) -> list[PlannedMark]:
    """Every mark of the day, skill by skill interleaved, criterion by criterion."""
    rng = random.Random(seed)
    index = championship.index
    per_skill = []
    for skill in championship.skills:
        experts = [e for e in championship.experts if e.skill == skill.id]
        competitors = index.competitors_of(skill.id)
        ability = {c.id: rng.uniform(0.45, 0.95) for c in competitors}
        marks = [
            mark
            for criterion in skill.criteria
            for aspect in criterion.aspects
            for competitor in rng.sample(competitors, len(competitors))
            for mark in _marks_for(
                skill, aspect.id, competitor, experts, ability[competitor.id], rng
            )
        ]
        per_skill.append(marks)
    # Skills mark side by side through the day.
    day: list[PlannedMark] = []
    for i in range(max(len(m) for m in per_skill)):
        day += [marks[i] for marks in per_skill if i < len(marks)]
    return day


def _marks_for(
    skill: Skill,
    aspect_id: str,
    competitor: Competitor,
    experts: list[Expert],
    ability: float,
    rng: random.Random,
) -> list[PlannedMark]:
    _, aspect = next((c, a) for c, a in skill.aspects if a.id == aspect_id)
    allowed = [
        e for e in experts if skill.rules.allow_compatriot_marking or e.member != competitor.member
    ]
    if aspect.kind == "measurement":
        expert = rng.choice(allowed)
        share = min(1.0, max(0.0, rng.gauss(ability, 0.15)))
        value = round(aspect.max_mark * share * 4) / 4
        return [_mark(expert, competitor, aspect_id, value)]
    panel = rng.sample(allowed, min(len(allowed), skill.rules.judges_per_aspect))
    centre = min(3, max(0, round(ability * 3)))
    scores = [min(3, max(0, centre + rng.choice((-1, 0, 0, 0, 1)))) for _ in panel]
    if max(scores) - min(scores) > skill.rules.max_judge_spread:
        scores = [centre] * len(panel)  # the panel talks it over and agrees
    return [_mark(e, competitor, aspect_id, float(s)) for e, s in zip(panel, scores, strict=True)]


def _mark(expert: Expert, competitor: Competitor, aspect: str, value: float) -> PlannedMark:
    return PlannedMark(
        id=f"demo:{competitor.id}:{aspect}:{expert.id}",
        expert=expert.id,
        competitor=competitor.id,
        aspect=aspect,
        value=value,
    )


class Tablets:
    """The experts' tablets: each posts with its own token and retries until stored."""

    def __init__(self, championship: Championship, secret: str, intake: str) -> None:
        self.tokens = {
            e.id: issue(Identity(e.id, e.role), secret, TOKEN_TTL_S) for e in championship.experts
        }
        self.intake = intake.rstrip("/")

    async def post(self, client: httpx.AsyncClient, mark: PlannedMark) -> int:
        """The mark's status; a mark on a form signed already (the day played before) is
        stored as it was: 200."""
        body = {
            "id": mark.id,
            "competitor": mark.competitor,
            "aspect": mark.aspect,
            "value": mark.value,
        }
        headers = {"Authorization": f"Bearer {self.tokens[mark.expert]}"}
        while True:
            try:
                response = await client.post(f"{self.intake}/api/marks", json=body, headers=headers)
            except httpx.HTTPError as error:
                log.warning(
                    "intake unreachable; retrying", extra={"mark": mark.id, "error": str(error)}
                )
            else:
                if response.status_code == 403 and response.json().get("code") == "signed":
                    return 200
                if response.status_code != 503:
                    return response.status_code
            await asyncio.sleep(RETRY_S)


async def play(
    plan: list[PlannedMark], tablets: Tablets, rate: float, championship: Championship
) -> int:
    """Post the day's marks at `rate` per second, and sign each form once its last mark is
    stored; 0 when every mark was stored."""
    refused = 0
    closing = Closing(championship, [(m.id, m.expert, m.competitor, m.aspect) for m in plan])
    async with httpx.AsyncClient(timeout=10.0) as client:
        for n, mark in enumerate(plan, 1):
            status = await tablets.post(client, mark)
            if mark.id in closing.closes:
                skill, form = closing.closes[mark.id]
                signers = {p: tablets.tokens[p] for p in closing.signers[(skill, form)]}
                await sign(client, tablets.intake, signers, skill, form)
            if status not in (200, 201):
                refused += 1
                log.error("mark refused", extra={"mark": mark.id, "status": status})
            if n % 100 == 0:
                log.info("demo progress", extra={"posted": n, "of": len(plan)})
            await asyncio.sleep(1 / rate)
    log.info("demo day complete", extra={"posted": len(plan), "refused": refused})
    return 1 if refused else 0
