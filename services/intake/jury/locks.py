"""The chief expert's locks: a locked criterion or sub-criterion takes no more marks until it is
unlocked, with a reason the audit keeps."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from services.intake.http import Intake, Refused, read_body, respond
from services.intake.jury.commands import (
    append_and_answer,
    command_id,
    conflict,
    jury_member,
)
from services.intake.rules import Refusal, may_lock
from services.intake.texts import Reason
from shared.championship import Skill
from shared.control import Control
from shared.events import CriterionLocked, CriterionUnlocked
from shared.plumbing.clock import iso_now


class LockBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """`{"criterion": "A"}` locks a criterion, `{"sub_criterion": "A1"}` one sub-criterion."""

    criterion: str | None = None
    sub_criterion: str | None = None


# What `lock_in` takes, for the OpenAPI document: exactly one of the two, a string.
ONE_NAMED = {
    "oneOf": [
        {"required": [name], "properties": {name: {"type": "string"}}}
        for name in ("criterion", "sub_criterion")
    ]
}


class UnlockBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    reason: Reason


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
    reason = (await read_body(request, UnlockBody)).reason.strip()
    seen, control = intake.controls.of(skill.id)
    if not lock.held(control):
        raise conflict(f"{lock} of {skill.id} is not locked")
    command = CriterionUnlocked(
        command_id(), skill.id, lock.criterion, expert.id, reason, iso_now(), lock.sub_criterion
    )
    return await append_and_answer(intake, command, seen), "accepted"
