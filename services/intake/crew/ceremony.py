"""The closing ceremony's console API (docs/screens-and-ceremony.md): `PUT /api/ceremony`
sets the script, `POST /api/ceremony/next` and `/back` move it one step, `GET /api/ceremony`
says where it stands. Organizers only; each move is a command in the log, stored only if no
other console moved the ceremony meanwhile."""

from __future__ import annotations

import logging

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from services.intake.adapters import ControlsChangedError
from services.intake.crew.desk import Desk, Skills, command_id, desk_of, named_skills, organizer
from services.intake.http import Intake, Refused, read_body, read_bytes, respond
from services.intake.rules import Refusal
from shared import ceremony
from shared.championship import Championship, Expert
from shared.events import CeremonyScripted, CeremonyStepped
from shared.plumbing.clock import iso_now
from shared.plumbing.web import JSONResponse

log = logging.getLogger("podium.intake")


class ScriptBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The skills in the order of the ceremony (all of them, in the championship's order, when
    left out), and whether each skill's Medallions for Excellence are announced."""

    skills: Skills | None = None
    medallions: bool = False


class CeremonyState(msgspec.Struct, frozen=True):
    """`GET /api/ceremony`: the script, where it stands, and what the hall sees now."""

    skills: tuple[str, ...]
    medallions: bool
    step: int
    steps: tuple[ceremony.Step, ...]
    seq: int
    view: ceremony.CeremonyView
    # Skills of the script not yet final: the ceremony shows their standings as they are.
    unfinished: tuple[str, ...]


class CeremonyMoved(msgspec.Struct, frozen=True):
    """What a stored command leaves: the step shown now, and the one Next would show."""

    id: str
    seq: int
    step: int
    steps: int
    current: ceremony.Step | None
    next: ceremony.Step | None


def moved(
    command_id: str, seq: int, state: ceremony.Ceremony, championship: Championship
) -> CeremonyMoved:
    steps = ceremony.script(state, championship)
    current = steps[state.step - 1] if state.step else None
    upcoming = steps[state.step] if state.step < len(steps) else None
    return CeremonyMoved(command_id, seq, state.step, len(steps), current, upcoming)


async def put_script(request: Request) -> Response:
    return await respond(request, "ceremony_script", _put_script)


async def _put_script(request: Request, intake: Intake) -> tuple[Response, str]:
    expert = organizer(request, intake)
    body = await read_body(request, ScriptBody)
    championship = intake.championship
    skills = body.skills if body.skills is not None else tuple(s.id for s in championship.skills)
    named_skills(skills, championship, "script")
    command = CeremonyScripted(command_id(), skills, body.medallions, expert.id, iso_now())
    return await store(request, intake, command), "accepted"


async def step_next(request: Request) -> Response:
    return await respond(request, "ceremony_next", _next)


async def _next(request: Request, intake: Intake) -> tuple[Response, str]:
    expert = await _mover(request, intake)
    state = desk_of(request).crew.ceremony
    steps = ceremony.script(state, intake.championship)
    if state.step >= len(steps):
        detail = f"the ceremony is over: all {len(steps)} steps are shown (Back goes back one)"
        raise Refused.of(409, "Ceremony over", detail, "conflict")
    return await _step(request, intake, expert, state.step + 1), "accepted"


async def step_back(request: Request) -> Response:
    return await respond(request, "ceremony_back", _back)


async def _back(request: Request, intake: Intake) -> tuple[Response, str]:
    expert = await _mover(request, intake)
    state = desk_of(request).crew.ceremony
    if state.step == 0:
        detail = "the ceremony has not begun: there is no step to go back from"
        raise Refused.of(409, "Not begun", detail, "conflict")
    return await _step(request, intake, expert, state.step - 1), "accepted"


async def _mover(request: Request, intake: Intake) -> Expert:
    expert = organizer(request, intake)
    if (await read_bytes(request)).strip() not in (b"", b"{}"):
        raise Refused.by(
            Refusal(422, "Invalid body", "next and back take no body", "invalid_body", "$")
        )
    return expert


async def _step(request: Request, intake: Intake, expert: Expert, step: int) -> Response:
    return await store(request, intake, CeremonyStepped(command_id(), step, expert.id, iso_now()))


async def store(
    request: Request, intake: Intake, command: CeremonyScripted | CeremonyStepped
) -> Response:
    """Stored only if the ceremony is still as this console saw it: two consoles pressing Next
    at once move it one step, not two."""
    desk: Desk = desk_of(request)
    try:
        seq = await intake.events.append_crew(command, expected_last=desk.crew.ceremony_seq)
    except ControlsChangedError as error:
        detail = "the ceremony was moved from another console meanwhile; look again, then press"
        raise Refused.of(409, "Changed meanwhile", detail, "changed") from error
    desk.crew.apply(seq, command)
    state = desk.crew.ceremony
    log.info("ceremony moved", extra={"command": command.id, "seq": seq, "step": state.step})
    return JSONResponse(moved(command.id, seq, state, intake.championship), 201)


async def where(request: Request) -> Response:
    return await respond(request, "ceremony", _where)


async def _where(request: Request, intake: Intake) -> tuple[Response, str]:
    organizer(request, intake)
    desk = desk_of(request)
    # The console shows what the hall's screens show: public names.
    state, championship = desk.crew.ceremony, intake.public
    skills = ceremony.skills_of(state, championship)
    standings, medals = await intake.projection.results([s.id for s in championship.skills])
    answer = CeremonyState(
        skills=skills,
        medallions=state.medallions,
        step=state.step,
        steps=ceremony.script(state, championship),
        seq=desk.crew.ceremony_seq,
        view=ceremony.view(state, championship, standings, medals),
        unfinished=tuple(
            s for s in skills if s not in standings or standings[s].visibility != "final"
        ),
    )
    return JSONResponse(answer), "answered"
