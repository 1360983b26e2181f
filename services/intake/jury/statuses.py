"""Competitors' status, set by the chief expert or an organizer with a reason the audit keeps."""

from __future__ import annotations

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from services.intake.http import Intake, Refused, authenticate, read_body, respond
from services.intake.jury.commands import append, command_id, refuse_unless_allowed
from services.intake.rules import may_steer
from services.intake.texts import Reason
from shared.championship import Competitor
from shared.control import status_of
from shared.events import Status, StatusChanged
from shared.plumbing.clock import iso_now
from shared.plumbing.web import JSONResponse


class StatusBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    status: Status
    reason: Reason


class StatusStored(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """The competitor's status now; `id` and `seq` only when a command was stored."""

    id: str | None = None
    seq: int | None = None
    competitor: str
    status: Status
    changed: bool


async def competitor_status(request: Request) -> Response:
    return await respond(request, "status", _competitor_status)


async def _competitor_status(request: Request, intake: Intake) -> tuple[Response, str]:
    """Set a competitor's status with a reason; the same status again stores nothing."""
    expert = authenticate(request, intake)
    competitor = competitor_of(request, intake)
    refuse_unless_allowed(may_steer(expert, competitor.skill))
    body = await read_body(request, StatusBody)
    reason = body.reason.strip()
    seen, control = intake.controls.of(competitor.skill)
    if status_of(control, competitor) == body.status:
        unchanged = StatusStored(competitor=competitor.id, status=body.status, changed=False)
        return JSONResponse(unchanged, 200), "unchanged"
    command = StatusChanged(
        command_id(), competitor.skill, competitor.id, body.status, reason, expert.id, iso_now()
    )
    seq = await append(intake, command, seen)
    stored = StatusStored(
        id=command.id, seq=seq, competitor=competitor.id, status=body.status, changed=True
    )
    return JSONResponse(stored, 201), "accepted"


def competitor_of(request: Request, intake: Intake) -> Competitor:
    competitor = intake.championship.index.competitors.get(request.path_params["competitor"])
    if competitor is None:
        detail = f"no competitor {request.path_params['competitor']!r}"
        raise Refused.of(404, "Unknown competitor", detail, "unknown_competitor")
    return competitor
