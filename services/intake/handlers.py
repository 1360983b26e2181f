"""Intake's HTTP endpoints: authenticate, apply the marking rules, append to the log."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import TypeVar

import msgspec
from prometheus_client import Counter
from starlette.requests import Request
from starlette.responses import Response

from services.intake.adapters import EventLog, LogUnavailableError
from services.intake.rules import MarkBody, Refusal, judge_mark, same_mark
from shared.championship import Championship, Expert
from shared.clock import iso_now
from shared.tokens import TokenError, person
from shared.web import JSONResponse, problem

log = logging.getLogger("podium.intake")

MAX_BODY = 64 * 1024
T = TypeVar("T")


@dataclass(frozen=True)
class Intake:
    """What the endpoints need, built once by the composition root."""

    championship: Championship
    championship_json: bytes
    secret: str
    events: EventLog
    outcomes: Counter


def intake_of(request: Request) -> Intake:
    intake: Intake = request.app.state.intake
    return intake


class Refused(Exception):
    """Ends a request with a problem response; `reason` labels the refusal metric."""

    def __init__(self, response: Response, reason: str) -> None:
        self.response = response
        self.reason = reason


def authenticate(request: Request, intake: Intake) -> Expert:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Refused(
            problem(401, "Not signed in", "send Authorization: Bearer TOKEN", headers=_bearer()),
            "unauthenticated",
        )
    try:
        return person(token.strip(), intake.secret, intake.championship)
    except TokenError as error:
        raise Refused(
            problem(401, "Bad token", str(error), headers=_bearer()), "bad_token"
        ) from error


def _bearer() -> dict[str, str]:
    return {"WWW-Authenticate": "Bearer"}


async def read_body(request: Request, kind: type[T]) -> T:
    """Decode a JSON body into `kind`, refusing oversized, malformed or unknown input."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY:
        raise Refused(_too_large(), "too_large")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise Refused(_too_large(), "too_large")
    try:
        return msgspec.json.decode(bytes(body), type=kind)
    except msgspec.ValidationError as error:
        message, _, where = str(error).partition(" - at `")
        path = where.rstrip("`").removeprefix("$").removeprefix(".") or "$"
        raise Refused(
            problem(
                422, "Invalid body", f"{path}: {message}", [{"path": path, "message": message}]
            ),
            "invalid",
        ) from error
    except msgspec.DecodeError as error:
        raise Refused(problem(400, "Malformed JSON", str(error)), "malformed") from error


def _too_large() -> Response:
    return problem(413, "Body too large", f"bodies are limited to {MAX_BODY} bytes")


async def post_mark(request: Request) -> Response:
    intake = intake_of(request)
    try:
        response, outcome = await _post_mark(request, intake)
    except Refused as refused:
        response, outcome = refused.response, refused.reason
    intake.outcomes.labels(command="mark", outcome=outcome).inc()
    return response


async def _post_mark(request: Request, intake: Intake) -> tuple[Response, str]:
    expert = authenticate(request, intake)
    body = await read_body(request, MarkBody)
    verdict = judge_mark(body, expert, intake.championship, iso_now())
    if isinstance(verdict, Refusal):
        errors = [{"path": verdict.path, "message": verdict.detail}] if verdict.path else []
        reason = verdict.title.lower().replace(" ", "_")
        return problem(verdict.status, verdict.title, verdict.detail, errors), reason
    started = time.perf_counter()
    try:
        stored = await intake.events.append(verdict)
        if stored.duplicate and not same_mark(await intake.events.read(stored.seq), verdict):
            detail = f"mark id {body.id!r} was already used for another mark (seq {stored.seq})"
            return problem(409, "Id already used", detail), "conflict"
    except LogUnavailableError as error:
        log.warning("event log unavailable", extra={"mark": body.id, "error": str(error)})
        detail = "the event log cannot take marks right now; retry with the same id"
        return problem(503, "Try again", detail, headers={"Retry-After": "1"}), "unavailable"
    log.info(
        "mark duplicate" if stored.duplicate else "mark stored",
        extra={
            "mark": body.id,
            "seq": stored.seq,
            "expert": expert.id,
            "skill": verdict.skill,
            "store_ms": round((time.perf_counter() - started) * 1000, 2),
        },
    )
    answer = {"id": body.id, "seq": stored.seq, "duplicate": stored.duplicate}
    if stored.duplicate:
        return JSONResponse(answer, 200), "duplicate"
    return JSONResponse(answer, 201), "accepted"


async def get_championship(request: Request) -> Response:
    return Response(intake_of(request).championship_json, media_type="application/json")
