"""The jury's endpoints: visibility and reveal (chief expert or organizer); with what every
jury command shares (who may act, its id, storing it, its answer), which the locks (`locks.py`)
and competitors' status (`statuses.py`) use too."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from services.intake.http import (
    Intake,
    Refused,
    authenticate,
    read_body,
    read_bytes,
    respond,
)
from services.intake.rules import Refusal, may_steer
from shared.championship import Expert, Skill
from shared.events import (
    ControlCommand,
    RowRevealed,
    Visibility,
    VisibilityChanged,
)
from shared.plumbing.clock import iso_now
from shared.plumbing.web import JSONResponse

log = logging.getLogger("podium.intake")


class VisibilityBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    mode: Visibility


class JuryStored(msgspec.Struct, frozen=True):
    """A jury command stored: the skill's controls as it leaves them."""

    id: str
    seq: int
    locked: list[str]
    locked_sub_criteria: list[str]
    visibility: Visibility
    revealed: int


def command_id() -> str:
    """Jury commands carry no client id; each gets its own, for Nats-Msg-Id and the audit."""
    return "jury:" + secrets.token_hex(8)


def skill_of(request: Request, intake: Intake) -> Skill:
    skill = intake.championship.index.skills.get(request.path_params["skill"])
    if skill is None:
        detail = f"no skill {request.path_params['skill']!r}"
        raise Refused.of(404, "Unknown skill", detail, "unknown_skill")
    return skill


def refuse_unless_allowed(refusal: Refusal | None) -> None:
    """Ends the request with the rule's refusal, if it has one."""
    if refusal is not None:
        raise Refused.by(refusal)


def jury_member(
    request: Request, intake: Intake, may: Callable[[Expert, str], Refusal | None]
) -> tuple[Expert, Skill]:
    """The signed-in person and the skill of the path, if the rule lets them act on it."""
    expert = authenticate(request, intake)
    skill = skill_of(request, intake)
    refuse_unless_allowed(may(expert, skill.id))
    return expert, skill


def conflict(detail: str) -> Refused:
    return Refused.of(409, "Not now", detail, "conflict")


async def append(intake: Intake, command: ControlCommand, seen: int) -> int:
    seq = await intake.events.append_control(command, expected_last=seen)
    intake.controls.apply(seq, command)
    log.info(
        "jury command stored", extra={"command": command.id, "seq": seq, "skill": command.skill}
    )
    return seq


async def append_and_answer(intake: Intake, command: ControlCommand, seen: int) -> Response:
    """Store the jury command if the skill's controls are still as `seen`, then answer with
    the controls it leaves."""
    seq = await append(intake, command, seen)
    _, control = intake.controls.of(command.skill)
    answer = JuryStored(
        id=command.id,
        seq=seq,
        locked=sorted(control.locked),
        locked_sub_criteria=sorted(control.locked_sub_criteria),
        visibility=control.visibility,
        revealed=control.revealed,
    )
    return JSONResponse(answer, 201)


async def visibility(request: Request) -> Response:
    return await respond(request, "visibility", _visibility)


async def _visibility(request: Request, intake: Intake) -> tuple[Response, str]:
    expert, skill = jury_member(request, intake, may_steer)
    mode = (await read_body(request, VisibilityBody)).mode
    if mode == "final":
        refuse_unless_allowed(intake.forms.unsigned_refusal(skill))
    seen, _ = intake.controls.of(skill.id)
    command = VisibilityChanged(command_id(), skill.id, mode, expert.id, iso_now())
    return await append_and_answer(intake, command, seen), "accepted"


async def reveal(request: Request) -> Response:
    return await respond(request, "reveal", _reveal)


async def _reveal(request: Request, intake: Intake) -> tuple[Response, str]:
    expert, skill = jury_member(request, intake, may_steer)
    if (await read_bytes(request)).strip() not in (b"", b"{}"):
        raise Refused.by(Refusal(422, "Invalid body", "reveal takes no body", "invalid_body", "$"))
    seen, control = intake.controls.of(skill.id)
    if control.visibility != "frozen":
        raise conflict(f"{skill.id} is {control.visibility}: freeze it before the reveal")
    rows = len(intake.championship.index.competitors_of(skill.id))
    if control.revealed >= rows:
        raise conflict(f"all {rows} rows of {skill.id} are already revealed")
    command = RowRevealed(command_id(), skill.id, control.revealed + 1, expert.id, iso_now())
    return await append_and_answer(intake, command, seen), "accepted"
