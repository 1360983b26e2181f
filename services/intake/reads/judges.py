"""`GET /api/skills/{skill}/judges`: the chief's judgement analysis (docs/rules.md, "Judges"),
from the standing scores in ranking's projection. The skill's chief expert or an organizer;
never cached."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from services.intake.http import Intake, respond
from services.intake.jury.commands import jury_member
from services.intake.rules import may_steer
from shared.judges import judges
from shared.web import JSONResponse

PRIVATE = {"Cache-Control": "no-store"}


async def skill_judges(request: Request) -> Response:
    return await respond(request, "judges", _skill_judges)


async def _skill_judges(request: Request, intake: Intake) -> tuple[Response, str]:
    _, skill = jury_member(request, intake, may_steer)
    marks = await intake.projection.skill(skill.id)
    championship = intake.championship
    found = judges(
        skill.id,
        championship.index.competitors_of(skill.id),
        championship.experts,
        marks.judgements,
        marks.applied,
    )
    return JSONResponse(found, headers=PRIVATE), "answered"
