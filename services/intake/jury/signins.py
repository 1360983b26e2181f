"""Sign-ins: revoking a person's tokens (a command in the log, followed by every intake) and
the sessions the jury sees (one row per token seen)."""

from __future__ import annotations

import logging
from typing import Annotated

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from services.intake.http import Intake, Refused, authenticate, invalid, read_body, respond
from services.intake.jury.commands import command_id, refuse_unless_allowed
from services.intake.rules import may_revoke, may_see_sessions
from services.intake.sessions import Session
from services.intake.texts import Reason
from shared.championship import Expert
from shared.events import SignInRevoked
from shared.plumbing.clock import iso, iso_now
from shared.plumbing.web import JSONResponse
from shared.revocations import covers

log = logging.getLogger("podium.intake")

PRIVATE = {"Cache-Control": "no-store"}


class RevocationBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    person: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    reason: Reason


class Revoked(msgspec.Struct, frozen=True):
    """`POST /api/revocations`: stored; tokens of `person` issued up to `revoked_at` fail."""

    id: str
    seq: int
    person: str
    revoked_at: str


class SessionsQuery(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    skill: str | None = None


class SessionRow(msgspec.Struct, frozen=True):
    """One token seen by intake, and whether it is revoked now. Times are UTC."""

    person: str
    name: str
    member: str
    skill: str | None
    role: str
    jti: str
    issued: str
    expires: str
    first_seen: str
    last_seen: str
    last_mark: str | None
    user_agent: str
    revoked: bool


class SessionList(msgspec.Struct, frozen=True):
    """`GET /api/sessions`: the most recently seen first."""

    skill: str | None
    sessions: list[SessionRow]


async def revoke(request: Request) -> Response:
    return await respond(request, "revocation", _revoke)


async def _revoke(request: Request, intake: Intake) -> tuple[Response, str]:
    expert = authenticate(request, intake)
    body = await read_body(request, RevocationBody)
    person = intake.championship.index.experts.get(body.person)
    if person is None:
        detail = f"no person {body.person!r} in {intake.championship.name}"
        raise Refused.of(404, "Unknown person", detail, "unknown_person")
    refuse_unless_allowed(may_revoke(expert, person))
    command = SignInRevoked(
        id=command_id(),
        skill=person.skill or "",
        person=person.id,
        reason=body.reason.strip(),
        expert=expert.id,
        at=iso_now(),
    )
    seq = await intake.events.append_revocation(command)
    # This intake refuses at once; the others as soon as the log hands it to them.
    intake.signins.apply(command)
    log.info(
        "sign-in revoked",
        extra={"command": command.id, "seq": seq, "person": person.id, "by": expert.id},
    )
    return JSONResponse(Revoked(command.id, seq, person.id, command.at), 201), "accepted"


async def sessions(request: Request) -> Response:
    return await respond(request, "sessions", _sessions)


async def _sessions(request: Request, intake: Intake) -> tuple[Response, str]:
    expert = authenticate(request, intake)
    try:
        query = msgspec.convert(dict(request.query_params), SessionsQuery, strict=False)
    except msgspec.ValidationError as error:
        raise invalid(error, "Invalid query") from error
    skills = intake.championship.index.skills
    if query.skill is not None and query.skill not in skills:
        raise Refused.of(404, "Unknown skill", f"no skill {query.skill!r}", "unknown_skill")
    refuse_unless_allowed(may_see_sessions(expert, query.skill))
    wanted: list[str | None] = [query.skill] if query.skill else [*skills, None]
    found = await intake.sessions.of(wanted)
    people = intake.championship.index.experts
    rows = [_row(s, people[s.person], intake) for s in found if s.person in people]
    rows.sort(key=lambda r: r.last_seen, reverse=True)
    return JSONResponse(SessionList(query.skill, rows), headers=PRIVATE), "answered"


def _row(session: Session, person: Expert, intake: Intake) -> SessionRow:
    return SessionRow(
        person=person.id,
        name=person.name,
        member=person.member,
        skill=person.skill,
        role=person.role,
        jti=session.jti,
        issued=iso(session.issued / 1000),
        expires=iso(session.expires / 1000),
        first_seen=iso(session.first_seen / 1000),
        last_seen=iso(session.last_seen / 1000),
        last_mark=session.last_mark,
        user_agent=session.user_agent,
        revoked=covers(intake.signins.revoked_at(person.id), session.issued),
    )
