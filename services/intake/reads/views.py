"""Reads for the marking page and the jury's panel: who is signed in, their marking sheet,
and the jury's board of a skill. Signed in like every other endpoint; never cached."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from services.intake.http import Intake, Refused, authenticate, respond
from services.intake.jury.commands import jury_member
from services.intake.reads import boards
from services.intake.rules import may_steer
from shared.plumbing.web import JSONResponse

PRIVATE = {"Cache-Control": "no-store"}


async def me(request: Request) -> Response:
    return await respond(request, "me", _me)


async def _me(request: Request, intake: Intake) -> tuple[Response, str]:
    expert = authenticate(request, intake)
    return JSONResponse(boards.person(expert), headers=PRIVATE), "answered"


async def my_marks(request: Request) -> Response:
    return await respond(request, "sheet", _my_marks)


async def _my_marks(request: Request, intake: Intake) -> tuple[Response, str]:
    expert = authenticate(request, intake)
    if expert.skill is None:
        detail = f"{expert.id} is an organizer: organizers do not mark"
        raise Refused.of(403, "Organizers do not mark", detail, "organizers_do_not_mark")
    skill = intake.championship.index.skills[expert.skill]
    marks = await intake.projection.skill(skill.id)
    _, control = intake.controls.of(skill.id)
    found = boards.sheet(expert, skill, marks, control, intake.championship)
    return JSONResponse(found, headers=PRIVATE), "answered"


async def jury_board(request: Request) -> Response:
    return await respond(request, "board", _jury_board)


async def _jury_board(request: Request, intake: Intake) -> tuple[Response, str]:
    _, skill = jury_member(request, intake, may_steer)
    marks = await intake.projection.skill(skill.id)
    _, control = intake.controls.of(skill.id)
    found = boards.board(skill, marks, control, intake.championship)
    return JSONResponse(found, headers=PRIVATE), "answered"
