"""The hall's named screens (docs/screens-and-ceremony.md): `PUT /api/screens/{name}` tells
one what to show, `GET /api/screens` lists them with what each shows and whether it is there.
Organizers only."""

from __future__ import annotations

import logging
import re
from typing import Annotated

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from services.intake.crew.desk import (
    Skills,
    command_id,
    connected,
    desk_of,
    named_skills,
    organizer,
    unknown_skill,
)
from services.intake.http import Intake, Refused, read_body, respond
from services.intake.rules import Refusal
from services.intake.texts import Message
from shared.championship import Championship
from shared.crew import SCREEN_NAME, Assignment, Presence
from shared.events import ScreenAssigned, Show
from shared.plumbing.clock import iso_now
from shared.plumbing.web import JSONResponse

log = logging.getLogger("podium.intake")

MAX_ROTATION = 64


# The bodies, strict as every body from outside; the log keeps them as `shared.events.Show`.
class ShowSkillBody(
    msgspec.Struct, frozen=True, forbid_unknown_fields=True, tag="skill", tag_field="show"
):
    skill: str


class ShowRotationBody(
    msgspec.Struct, frozen=True, forbid_unknown_fields=True, tag="rotation", tag_field="show"
):
    skills: Annotated[Skills, msgspec.Meta(min_length=1, max_length=MAX_ROTATION)]
    # Seconds a skill stays: at least 3, to be read from across the hall.
    # A whole number, which JSON may write 15 or 15.0 (JSON Schema's integer takes both, and
    # so does this type and the number the document states); the log keeps an int.
    every: Annotated[float, msgspec.Meta(ge=3, le=3600, multiple_of=1)] = 15


class ShowMedalsBody(
    msgspec.Struct, frozen=True, forbid_unknown_fields=True, tag="medals", tag_field="show"
):
    pass


class ShowCeremonyBody(
    msgspec.Struct, frozen=True, forbid_unknown_fields=True, tag="ceremony", tag_field="show"
):
    pass


class ShowMessageBody(
    msgspec.Struct, frozen=True, forbid_unknown_fields=True, tag="message", tag_field="show"
):
    text: Message


ShowBody = ShowSkillBody | ShowRotationBody | ShowMedalsBody | ShowCeremonyBody | ShowMessageBody


class Screen(msgspec.Struct, frozen=True):
    """One line of `GET /api/screens`."""

    name: str
    # None: never assigned; the screen shows what its own address asks for.
    show: Show | None
    assigned_at: str | None
    assigned_by: str | None
    connected: bool
    language: str | None
    connected_since: str | None
    last_seen: str | None


class Screens(msgspec.Struct, frozen=True):
    screens: list[Screen]


class ScreenStored(msgspec.Struct, frozen=True):
    id: str
    seq: int
    screen: str
    show: Show


def checked(body: ShowBody, championship: Championship) -> Show:
    """The body as the log keeps it, once every skill it names is known (else 404)."""
    match body:
        case ShowSkillBody(skill=skill) if skill not in championship.index.skills:
            raise unknown_skill("skill", skill)
        case ShowRotationBody(skills=skills):
            named_skills(skills, championship, "rotation")
    # Not strict: `every` from a float that is a whole number to the int the log keeps.
    show: Show = msgspec.convert(msgspec.to_builtins(body), Show, strict=False)
    return show


async def assign(request: Request) -> Response:
    return await respond(request, "screen", _assign)


async def _assign(request: Request, intake: Intake) -> tuple[Response, str]:
    expert = organizer(request, intake)
    name = request.path_params["name"]
    if not re.fullmatch(SCREEN_NAME, name):
        detail = f"name: {name!r} is not a screen name (1 to 64 of A-Z a-z 0-9 _ -)"
        raise Refused.by(Refusal(422, "Invalid screen name", detail, "invalid_screen_name", "name"))
    show = checked(await read_body(request, ShowBody), intake.championship)  # type: ignore[arg-type]
    command = ScreenAssigned(command_id(), name, show, expert.id, iso_now())
    desk = desk_of(request)
    seq = await intake.events.append_crew(command, expected_last=None)
    desk.crew.apply(seq, command)
    log.info("screen assigned", extra={"screen": name, "seq": seq, "show": show.__class__.__name__})
    return JSONResponse(ScreenStored(command.id, seq, name, show), 201), "accepted"


async def listing(request: Request) -> Response:
    return await respond(request, "screens", _listing)


async def _listing(request: Request, intake: Intake) -> tuple[Response, str]:
    organizer(request, intake)
    desk = desk_of(request)
    seen = await desk.presence()
    names = sorted(set(seen) | set(desk.crew.screens))
    screens = [line(name, desk.crew.screens.get(name), seen.get(name)) for name in names]
    return JSONResponse(Screens(screens)), "answered"


def line(name: str, assigned: Assignment | None, seen: Presence | None) -> Screen:
    return Screen(
        name=name,
        show=assigned.show if assigned else None,
        assigned_at=assigned.at if assigned else None,
        assigned_by=assigned.expert if assigned else None,
        connected=connected(seen) if seen else False,
        language=seen.language if seen else None,
        connected_since=seen.since if seen and connected(seen) else None,
        last_seen=seen.seen if seen else None,
    )
