"""The audit (chief expert or organizer): every accepted command, oldest first, each with its
sequence, its time in the log, who gave it and what it was."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Union, get_args

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from services.intake.http import Intake, Refused, authenticate, invalid, respond
from services.intake.jury.commands import refuse_unless_allowed
from services.intake.rules import may_audit
from shared import subjects
from shared.events import Command
from shared.plumbing.web import JSONResponse

MAX_AUDIT_PAGE = 500
# JetStream numbers its messages in 64 bits; no log gets past this, and every client's 64-bit
# integer holds it (past 2**64 - 2 JetStream refuses the request itself).
LAST_SEQ = 2**63 - 1


class AuditQuery(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    skill: str | None = None
    after: Annotated[int, msgspec.Meta(ge=0, le=LAST_SEQ)] = 0
    limit: Annotated[int, msgspec.Meta(ge=1, le=MAX_AUDIT_PAGE)] = 100


def _audited(kind: type[msgspec.Struct]) -> type[msgspec.Struct]:
    """The command `kind` as an audit entry: its own fields after `seq`, `time`, `who` (the
    person's id) and `name`, tagged by `type` as in the log. Built from the command, so the
    entry and its part of the OpenAPI document follow the command when it gains a field."""
    config = kind.__struct_config__
    fields: list[tuple[str, Any] | tuple[str, Any, Any]] = [
        ("seq", int),
        ("time", str),
        ("who", str),
        ("name", str),
    ]
    for field in msgspec.structs.fields(kind):
        fields.append(
            (field.name, field.type) if field.required else (field.name, field.type, field.default)
        )
    return msgspec.defstruct(
        "Audited" + kind.__name__, fields, tag=config.tag, tag_field=config.tag_field, frozen=True
    )


AUDITED = {kind: _audited(kind) for kind in get_args(Command)}
if TYPE_CHECKING:
    AuditEntry = msgspec.Struct
else:
    # One of the entries above: mypy cannot follow a union built at import.
    AuditEntry = Union[tuple(AUDITED.values())]  # noqa: UP007


class AuditPage(msgspec.Struct, frozen=True):
    """`GET /api/audit`: `next_after` is the `after` of the next page, None on the last."""

    skill: str | None
    commands: list[AuditEntry]
    next_after: int | None


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
        AUDITED[type(e.command)](
            seq=e.seq,
            time=e.time,
            who=e.command.expert,
            name=people[e.command.expert].name if e.command.expert in people else "",
            **msgspec.structs.asdict(e.command),
        )
        for e in entries
    ]
    after = entries[-1].seq if len(entries) == query.limit else None
    return JSONResponse(AuditPage(query.skill, commands, after)), "answered"


def _audit_query(request: Request) -> AuditQuery:
    try:
        return msgspec.convert(dict(request.query_params), AuditQuery, strict=False)
    except msgspec.ValidationError as error:
        raise invalid(error, "Invalid query") from error
