"""What every intake endpoint shares: its dependencies, sign-in, bodies, refusals, metrics."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import msgspec
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from services.intake.adapters import (
    Controls,
    ControlsChangedError,
    EventLog,
    LogUnavailableError,
    SignIns,
)
from services.intake.metrics import Outcomes
from services.intake.projection import Projection, ProjectionUnavailableError
from services.intake.rules import Refusal
from services.intake.sessions import Sessions
from services.intake.signing import SignedForms
from services.intake.texts import BLANK, blank
from shared.championship import Championship, Expert
from shared.plumbing.tokens import Claims, RevokedError, TokenError, Verifier
from shared.plumbing.web import FieldError, bearer_token, problem
from shared.public.view import PublicChampionship

log = logging.getLogger("podium.intake")

MAX_BODY = 64 * 1024
T = TypeVar("T")


@dataclass(frozen=True)
class Intake:
    """What the endpoints need, built once by the composition root."""

    championship: Championship
    # The public championship and its JSON (`GET /api/championship`): public names only.
    public: PublicChampionship
    championship_json: bytes
    verifier: Verifier
    events: EventLog
    controls: Controls
    outcomes: Outcomes
    projection: Projection
    signins: SignIns
    sessions: Sessions
    forms: SignedForms


class Refused(Exception):
    """Ends a request with a problem response; `reason` labels the refusal metric."""

    def __init__(self, response: Response, reason: str) -> None:
        self.response = response
        self.reason = reason

    @classmethod
    def of(
        cls,
        status: int,
        title: str,
        detail: str,
        code: str,
        errors: Sequence[FieldError] = (),
        headers: dict[str, str] | None = None,
    ) -> Refused:
        """A problem whose `code` both the client and the refusal metric see."""
        return cls(problem(status, title, detail, errors, headers, code=code), code)

    @classmethod
    def by(cls, refusal: Refusal) -> Refused:
        errors = [FieldError(refusal.path, refusal.detail)] if refusal.path else []
        return cls.of(refusal.status, refusal.title, refusal.detail, refusal.code, errors)


Work = Callable[[Request, Intake], Awaitable[tuple[Response, str]]]


async def respond(request: Request, command: str, work: Work) -> Response:
    """Run an endpoint's work, turning refusals into problems and counting every outcome."""
    intake: Intake = request.app.state.intake
    try:
        response, outcome = await work(request, intake)
    except Refused as refused:
        response, outcome = refused.response, refused.reason
    except LogUnavailableError as error:
        log.warning("event log unavailable", extra={"command": command, "error": str(error)})
        response, outcome = unavailable(), "unavailable"
    except ControlsChangedError:
        detail = "another jury command on this skill landed first; look at the skill and try again"
        response, outcome = problem(409, "Changed meanwhile", detail, code="changed"), "changed"
    except ProjectionUnavailableError as error:
        log.warning("standings store unavailable", extra={"command": command, "error": str(error)})
        detail = "the standings store does not answer right now; try again in a moment"
        response = problem(
            503, "Try again", detail, headers={"Retry-After": "1"}, code="unavailable"
        )
        outcome = "unavailable"
    intake.outcomes.count(command, outcome)
    return response


def unavailable() -> Response:
    detail = "the event log cannot take commands right now; retry with the same id"
    return problem(503, "Try again", detail, headers={"Retry-After": "1"}, code="unavailable")


def authenticate(request: Request, intake: Intake) -> Expert:
    return signed_in(request, intake)[0]


def signed_in(request: Request, intake: Intake) -> tuple[Expert, Claims]:
    """The person the request's token speaks for, and the token's claims; the sighting goes
    into the sessions (in memory: no request waits for it)."""
    token = bearer_token(request.scope)
    if not token:
        raise Refused.of(
            401,
            "Not signed in",
            "send Authorization: Bearer TOKEN",
            "unauthenticated",
            headers=_bearer(),
        )
    try:
        expert, claims = intake.verifier.person(token, intake.championship)
    except RevokedError as error:
        raise Refused.of(
            401, "Sign-in revoked", str(error), "revoked", headers=_bearer()
        ) from error
    except TokenError as error:
        raise Refused.of(401, "Bad token", str(error), "bad_token", headers=_bearer()) from error
    intake.sessions.seen(expert, claims, header(request, b"user-agent"))
    return expert, claims


def header(request: Request, name: bytes) -> str:
    """One request header by its lower-case name, "" without it: straight from the ASGI scope,
    without building Starlette's `Headers` (every mark reads two)."""
    for key, value in request.scope["headers"]:
        if key == name:
            found: str = value.decode("latin-1")
            return found
    return ""


def _bearer() -> dict[str, str]:
    return {"WWW-Authenticate": "Bearer"}


async def read_bytes(request: Request, limit: int = MAX_BODY) -> bytes:
    """The body, refused with 413 as soon as it passes `limit`."""
    declared = header(request, b"content-length")
    if declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    # The ASGI messages themselves: Starlette's `Request.stream()` is an async generator, a
    # few microseconds more for every mark.
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def decode(body: bytes, kind: type[T]) -> T:
    """A JSON body as `kind`, or 422 naming the field that is wrong."""
    try:
        return msgspec.json.decode(body, type=kind)
    except msgspec.ValidationError as error:
        raise invalid(error, "Invalid body") from error
    except msgspec.DecodeError as error:
        # Not JSON at all (NaN and Infinity are not JSON either).
        raise Refused.of(422, "Malformed JSON", str(error), "malformed") from error
    except RecursionError as error:
        # Arrays in arrays a thousand deep, where a body holds any JSON (a batch's items).
        detail = "the JSON is nested too deeply"
        raise Refused.of(422, "Malformed JSON", detail, "malformed") from error


def invalid(error: msgspec.ValidationError, title: str) -> Refused:
    """422 naming the field msgspec found wrong (its message ends in " - at `$.field`")."""
    message, _, where = str(error).partition(" - at `")
    path = where.rstrip("`").removeprefix("$").removeprefix(".")
    # A missing or unknown field is reported at its object; the person wants the field.
    named = re.fullmatch(r"Object (?:missing required|contains unknown) field `(.+)`", message)
    if named:
        path = f"{path}.{named[1]}" if path else named[1]
    path = path or "$"
    if message == BLANK:
        return Refused.by(blank(path, title))
    return Refused.of(422, title, f"{path}: {message}", "invalid", [FieldError(path, message)])


async def read_body(request: Request, kind: type[T]) -> T:
    return decode(await read_bytes(request), kind)


def _too_large(limit: int) -> Refused:
    detail = f"bodies here are limited to {limit // 1024} KiB"
    return Refused.of(413, "Body too large", detail, "too_large")
