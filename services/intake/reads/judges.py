"""`GET /api/skills/{skill}/judges`: the chief's judgement analysis (docs/rules.md, "Judges"),
from the standing scores in ranking's projection. The skill's chief expert or an organizer;
never cached.

The answer carries the sequence of the log it includes as its ETag: the chief's panel asks
every second with `If-None-Match`, and while no mark has landed in the skill the answer is a
304 after one small read of Redis, not the table of every score again."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from services.intake.http import Intake, header, respond
from services.intake.jury.commands import jury_member
from services.intake.rules import may_steer
from shared.judges import judges
from shared.plumbing.web import JSONResponse

PRIVATE = {"Cache-Control": "no-store"}


def tag(applied: int) -> str:
    return f'"{applied}"'


async def skill_judges(request: Request) -> Response:
    return await respond(request, "judges", _skill_judges)


async def _skill_judges(request: Request, intake: Intake) -> tuple[Response, str]:
    _, skill = jury_member(request, intake, may_steer)
    known = header(request, b"if-none-match")
    if known and known == tag(await intake.projection.applied(skill.id)):
        return Response(status_code=304, headers={**PRIVATE, "ETag": known}), "unchanged"
    applied, scores = await intake.projection.judgements(skill.id)
    championship = intake.championship
    found = judges(
        skill.id,
        championship.index.competitors_of(skill.id),
        championship.experts,
        scores,
        applied,
    )
    headers = {**PRIVATE, "ETag": tag(applied)}
    return JSONResponse(found, headers=headers), "answered"
