"""Intake's marking endpoints: one mark, a batch of marks, and the public championship."""

from __future__ import annotations

import logging
import time

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from services.intake.adapters import LogUnavailableError
from services.intake.http import (
    Intake,
    Refused,
    decode,
    read_body,
    read_bytes,
    respond,
    signed_in,
)
from services.intake.marks import batch
from services.intake.rules import MarkBody, Refusal, judge_mark, same_mark
from shared.championship import Expert
from shared.events import MarkRecorded
from shared.plumbing.clock import iso_now
from shared.plumbing.web import JSONResponse

log = logging.getLogger("podium.intake")

# A thousand marks as JSON run to about 100 KiB; single commands stay under 64 KiB.
MAX_BATCH_BODY = 256 * 1024


class Stored(msgspec.Struct, frozen=True):
    """`POST /api/marks`: stored (201), or stored before with the same mark (200, `duplicate`)."""

    id: str
    seq: int
    duplicate: bool


class ItemResult(msgspec.Struct, frozen=True, omit_defaults=True):
    """One item of a batch, in its place: `seq` when stored, `detail` when refused."""

    id: str | None
    status: int
    seq: int | None = None
    detail: str | None = None


class BatchResults(msgspec.Struct, frozen=True):
    results: list[ItemResult]


class Recorded(msgspec.Struct, frozen=True):
    """What became of one mark: stored, already stored, or refused and why."""

    id: str
    status: int
    reason: str
    seq: int | None = None
    refusal: Refusal | None = None

    def answer(self) -> ItemResult:
        if self.refusal is not None:
            return ItemResult(self.id, self.status, detail=self.refusal.detail)
        return ItemResult(self.id, self.status, seq=self.seq)


async def record(intake: Intake, expert: Expert, body: MarkBody) -> Recorded:
    """Judge one mark and store it once; the same for a single POST and a batch item."""
    verdict = judge_mark(body, expert, intake.championship, iso_now(), intake.controls.current)
    if isinstance(verdict, MarkRecorded):
        verdict = intake.forms.refusal(verdict) or verdict
    if isinstance(verdict, Refusal):
        return Recorded(body.id, verdict.status, verdict.code, refusal=verdict)
    started = time.perf_counter()
    stored = await intake.events.append_mark(verdict)
    if stored.duplicate:
        first = stored.first
        if not (isinstance(first, MarkRecorded) and same_mark(first, verdict)):
            detail = f"mark id {body.id!r} was already used for another mark (seq {stored.seq})"
            used = Refusal(409, "Id already used", detail, "id_already_used")
            return Recorded(body.id, 409, used.code, refusal=used)
    if not stored.duplicate:
        # The committer logged it, with the others of its batch (`grouping.stored`).
        return Recorded(body.id, 201, "accepted", seq=stored.seq)
    log.info(
        "mark duplicate",
        extra={
            "mark": body.id,
            "seq": stored.seq,
            "expert": expert.id,
            "skill": verdict.skill,
            "store_ms": round((time.perf_counter() - started) * 1000, 2),
        },
    )
    return Recorded(body.id, 200, "duplicate", seq=stored.seq)


async def post_mark(request: Request) -> Response:
    return await respond(request, "mark", _post_mark)


async def _post_mark(request: Request, intake: Intake) -> tuple[Response, str]:
    expert, claims = signed_in(request, intake)
    recorded = await record(intake, expert, await read_body(request, MarkBody))
    if recorded.refusal is not None:
        raise Refused.by(recorded.refusal)
    intake.sessions.marked(claims, recorded.id)
    assert recorded.seq is not None  # no refusal: stored, now or before
    answer = Stored(recorded.id, recorded.seq, recorded.status == 200)
    return JSONResponse(answer, recorded.status), recorded.reason


async def post_batch(request: Request) -> Response:
    return await respond(request, "batch", _post_batch)


async def _post_batch(request: Request, intake: Intake) -> tuple[Response, str]:
    expert, claims = signed_in(request, intake)
    items = parse_batch(
        request.headers.get("content-type", ""), await read_bytes(request, MAX_BATCH_BODY)
    )
    results: list[ItemResult] = []
    for item in items:
        if isinstance(item, batch.BadItem):
            results.append(ItemResult(item.id, 422, detail=item.detail))
            continue
        try:
            recorded = await record(intake, expert, item)
        except LogUnavailableError:
            detail = "the event log cannot take marks right now; retry with the same id"
            results.append(ItemResult(item.id, 503, detail=detail))
            continue
        intake.outcomes.count("mark", recorded.reason)
        if recorded.refusal is None:
            intake.sessions.marked(claims, recorded.id)
        results.append(recorded.answer())
    return JSONResponse(BatchResults(results), 200), "answered"


def parse_batch(content_type: str, body: bytes) -> list[MarkBody | batch.BadItem]:
    media = content_type.split(";")[0].strip().lower()
    try:
        if media == "text/csv":
            return batch.from_csv(body)
        if media in ("application/json", ""):
            return batch.from_json(decode(body, batch.JsonBatch))
    except batch.MalformedError as error:
        raise Refused.of(422, "Malformed batch", str(error), "malformed", error.errors) from error
    detail = f"send application/json or text/csv, not {media}"
    raise Refused.of(415, "Unsupported media type", detail, "media_type")


async def get_championship(request: Request) -> Response:
    intake: Intake = request.app.state.intake
    return Response(intake.championship_json, media_type="application/json")
