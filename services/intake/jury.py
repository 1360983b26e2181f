"""The jury's endpoints: locks (chief expert); visibility, reveal and competitors' status (chief
or organizer); audit."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from services.intake.http import (
    Intake,
    Refused,
    authenticate,
    invalid,
    read_body,
    read_bytes,
    respond,
)
from services.intake.rules import Refusal, may_audit, may_lock, may_steer
from shared import control as jury_control
from shared import subjects
from shared.championship import Competitor, Expert, Skill
from shared.clock import iso_now
from shared.control import Control
from shared.events import (
    ControlCommand,
    CriterionLocked,
    CriterionUnlocked,
    RowRevealed,
    Status,
    StatusChanged,
    Visibility,
    VisibilityChanged,
)
from shared.web import JSONResponse

log = logging.getLogger("podium.intake")

MAX_AUDIT_PAGE = 500


class LockBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """`{"criterion": "A"}` locks a criterion, `{"sub_criterion": "A1"}` one sub-criterion."""

    criterion: str | None = None
    sub_criterion: str | None = None


class UnlockBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]


class VisibilityBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    mode: Visibility


class StatusBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    status: Status
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]


class AuditQuery(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    skill: str | None = None
    after: Annotated[int, msgspec.Meta(ge=0)] = 0
    limit: Annotated[int, msgspec.Meta(ge=1, le=MAX_AUDIT_PAGE)] = 100


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


@dataclass(frozen=True)
class Lock:
    """What a lock command closes: a criterion, or a sub-criterion of it."""

    criterion: str
    sub_criterion: str | None = None

    def held(self, control: Control) -> bool:
        if self.sub_criterion is None:
            return self.criterion in control.locked
        return self.sub_criterion in control.locked_sub_criteria

    def __str__(self) -> str:
        if self.sub_criterion is None:
            return f"criterion {self.criterion}"
        return f"sub-criterion {self.sub_criterion}"


LockKind = Literal["criterion", "sub_criterion"]
WORDS: dict[LockKind, str] = {"criterion": "criterion", "sub_criterion": "sub-criterion"}


def _locks(skill: Skill) -> dict[tuple[LockKind, str], Lock]:
    locks: dict[tuple[LockKind, str], Lock] = {}
    for criterion in skill.criteria:
        locks[("criterion", criterion.id)] = Lock(criterion.id)
        for sub in criterion.sub_criteria:
            locks[("sub_criterion", sub.id)] = Lock(criterion.id, sub.id)
    return locks


def _unknown(skill: Skill, what: str, given: str, path: str) -> Refused:
    return Refused.by(
        Refusal(
            404,
            f"Unknown {what}",
            f"{skill.id} has no {what} {given!r}",
            "unknown_" + what.replace("-", "_").replace(" ", "_"),
            path,
        )
    )


def lock_in(skill: Skill, body: LockBody) -> Lock:
    """What a lock command's body names: a criterion or a sub-criterion, not both."""
    given: dict[LockKind, str | None] = {
        "criterion": body.criterion,
        "sub_criterion": body.sub_criterion,
    }
    named = [(kind, name) for kind, name in given.items() if name is not None]
    if len(named) != 1:
        detail = 'give either "criterion" (like "A") or "sub_criterion" (like "A1")'
        raise Refused.by(
            Refusal(422, "Criterion or sub-criterion", detail, "criterion_or_sub_criterion", "$")
        )
    kind, name = named[0]
    found = _locks(skill).get((kind, name))
    if found is None:
        raise _unknown(skill, WORDS[kind], name, kind)
    return found


def lock_at(skill: Skill, given: str) -> Lock:
    """The lock an unlock's path names, by the id of a criterion or of a sub-criterion (the
    championship's checks keep the two apart)."""
    locks = _locks(skill)
    found = locks.get(("criterion", given)) or locks.get(("sub_criterion", given))
    if found is None:
        raise _unknown(skill, "criterion or sub-criterion", given, "criterion")
    return found


def conflict(detail: str) -> Refused:
    return Refused.of(409, "Not now", detail, "conflict")


def reason_of(text: str, why: str) -> str:
    """The reason the audit keeps; blank is refused, naming what to say."""
    if not text.strip():
        raise Refused.by(Refusal(422, "Reason required", why, "reason_required", "reason"))
    return text.strip()


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
    return JSONResponse({"id": command.id, "seq": seq, **_summary(intake, command.skill)}, 201)


def _summary(intake: Intake, skill: str) -> dict[str, Any]:
    _, control = intake.controls.of(skill)
    return {
        "locked": sorted(control.locked),
        "locked_sub_criteria": sorted(control.locked_sub_criteria),
        "visibility": control.visibility,
        "revealed": control.revealed,
    }


async def lock(request: Request) -> Response:
    return await respond(request, "lock", _lock)


async def _lock(request: Request, intake: Intake) -> tuple[Response, str]:
    expert, skill = jury_member(request, intake, may_lock)
    lock = lock_in(skill, await read_body(request, LockBody))
    seen, control = intake.controls.of(skill.id)
    if lock.held(control):
        raise conflict(f"{lock} of {skill.id} is already locked")
    command = CriterionLocked(
        command_id(), skill.id, lock.criterion, expert.id, iso_now(), lock.sub_criterion
    )
    return await append_and_answer(intake, command, seen), "accepted"


async def unlock(request: Request) -> Response:
    return await respond(request, "unlock", _unlock)


async def _unlock(request: Request, intake: Intake) -> tuple[Response, str]:
    expert, skill = jury_member(request, intake, may_lock)
    lock = lock_at(skill, request.path_params["criterion"])
    body = await read_body(request, UnlockBody)
    if not body.reason.strip():
        raise Refused.by(
            Refusal(
                422, "Reason required", f"say why {lock} is unlocked", "reason_required", "reason"
            )
        )
    seen, control = intake.controls.of(skill.id)
    if not lock.held(control):
        raise conflict(f"{lock} of {skill.id} is not locked")
    reason = body.reason.strip()
    command = CriterionUnlocked(
        command_id(), skill.id, lock.criterion, expert.id, reason, iso_now(), lock.sub_criterion
    )
    return await append_and_answer(intake, command, seen), "accepted"


async def visibility(request: Request) -> Response:
    return await respond(request, "visibility", _visibility)


async def _visibility(request: Request, intake: Intake) -> tuple[Response, str]:
    expert, skill = jury_member(request, intake, may_steer)
    mode = (await read_body(request, VisibilityBody)).mode
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


async def competitor_status(request: Request) -> Response:
    return await respond(request, "status", _competitor_status)


async def _competitor_status(request: Request, intake: Intake) -> tuple[Response, str]:
    """Set a competitor's status with a reason; the same status again stores nothing."""
    expert = authenticate(request, intake)
    competitor = competitor_of(request, intake)
    refuse_unless_allowed(may_steer(expert, competitor.skill))
    body = await read_body(request, StatusBody)
    reason = reason_of(body.reason, "say why the status changes")
    seen, control = intake.controls.of(competitor.skill)
    answer = {"competitor": competitor.id, "status": body.status}
    if jury_control.status_of(control, competitor) == body.status:
        return JSONResponse({**answer, "changed": False}, 200), "unchanged"
    command = StatusChanged(
        command_id(), competitor.skill, competitor.id, body.status, reason, expert.id, iso_now()
    )
    seq = await append(intake, command, seen)
    return JSONResponse({"id": command.id, "seq": seq, **answer, "changed": True}, 201), "accepted"


def competitor_of(request: Request, intake: Intake) -> Competitor:
    competitor = intake.championship.index.competitors.get(request.path_params["competitor"])
    if competitor is None:
        detail = f"no competitor {request.path_params['competitor']!r}"
        raise Refused.of(404, "Unknown competitor", detail, "unknown_competitor")
    return competitor


async def audit(request: Request) -> Response:
    return await respond(request, "audit", _audit)


async def _audit(request: Request, intake: Intake) -> tuple[Response, str]:
    expert = authenticate(request, intake)
    query = _audit_query(request)
    if query.skill is not None and query.skill not in intake.championship.index.skills:
        raise Refused.of(404, "Unknown skill", f"no skill {query.skill!r}", "unknown_skill")
    refuse_unless_allowed(may_audit(expert, query.skill))
    subject = subjects.commands(query.skill) if query.skill else subjects.COMMANDS_ALL
    entries = await intake.events.entries(subject, query.after, query.limit)
    people = intake.championship.index.experts
    commands = [
        {
            "seq": e.seq,
            "time": e.time,
            "who": e.command.expert,
            "name": people[e.command.expert].name if e.command.expert in people else "",
            **msgspec.to_builtins(e.command),
        }
        for e in entries
    ]
    after = entries[-1].seq if len(entries) == query.limit else None
    return JSONResponse(
        {"skill": query.skill, "commands": commands, "next_after": after}
    ), "answered"


def _audit_query(request: Request) -> AuditQuery:
    try:
        return msgspec.convert(dict(request.query_params), AuditQuery, strict=False)
    except msgspec.ValidationError as error:
        raise invalid(error, "Invalid query") from error
