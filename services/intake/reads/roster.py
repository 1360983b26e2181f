"""`GET /api/competitors`: the competitors a signed-in person works with, under their full names
(the marking page and the chief's panel show them), each with the public name the screens show
instead (docs/privacy.md). The public championship names no one in full, so these names are
read here, behind a token; birth dates and consents stay in the championship file."""

from __future__ import annotations

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from services.intake.http import Intake, authenticate, respond
from shared.events import Status
from shared.plumbing.web import JSONResponse

PRIVATE = {"Cache-Control": "no-store"}


class Entrant(msgspec.Struct, frozen=True):
    id: str
    name: str
    # What every public surface shows instead of `name`.
    public_name: str
    member: str
    skill: str
    status: Status
    team: tuple[str, ...] = ()


class Roster(msgspec.Struct, frozen=True):
    """An expert's or chief's skill's competitors; every competitor for an organizer."""

    competitors: list[Entrant]


def roster(intake: Intake, skill: str | None) -> Roster:
    public = intake.public.index.competitors
    return Roster(
        [
            Entrant(c.id, c.name, public[c.id].name, c.member, c.skill, c.status, c.team)
            for c in intake.championship.competitors
            if skill is None or c.skill == skill
        ]
    )


async def competitors(request: Request) -> Response:
    return await respond(request, "competitors", _competitors)


async def _competitors(request: Request, intake: Intake) -> tuple[Response, str]:
    expert = authenticate(request, intake)
    found = roster(intake, expert.skill)
    return JSONResponse(found, headers=PRIVATE), "answered"
