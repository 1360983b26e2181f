"""The experts' API as OpenAPI 3.1, built from the same msgspec types the endpoints decode."""

from __future__ import annotations

from functools import cache
from typing import Any

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from services.intake import openapi_crew, openapi_jury, openapi_reads
from services.intake.batch import JsonBatch
from services.intake.jury import VisibilityBody
from services.intake.locks import LockBody, UnlockBody
from services.intake.openapi_jury import AuditPage, JuryStored, StatusStored
from services.intake.openapi_parts import SECURED, answer, body, problems, ref
from services.intake.rules import MarkBody
from services.intake.signins import RevocationBody, Revoked, SessionList
from services.intake.statuses import StatusBody


class Problem(msgspec.Struct):
    """RFC 9457 problem details; `errors` names each field that is wrong, and `code` the
    refusal in words programs may rely on (e.g. `compatriot`, `locked`, `unknown_competitor`)."""

    type: str
    title: str
    status: int
    detail: str
    code: str | None = None
    errors: list[dict[str, str]] = []


class Stored(msgspec.Struct):
    id: str
    seq: int
    duplicate: bool


class ItemResult(msgspec.Struct):
    id: str | None
    status: int
    seq: int | None = None
    detail: str | None = None


class BatchResults(msgspec.Struct):
    results: list[ItemResult]


def paths() -> dict[str, Any]:
    return {
        **_marking(),
        **openapi_jury.paths(),
        **_signins(),
        **openapi_reads.paths(),
        **openapi_crew.paths(),
        **_service(),
    }


def _marking() -> dict[str, Any]:
    cell = r'[^,\n\r"]*'
    csv = {
        "schema": {
            "type": "string",
            "description": "a header line id,competitor,aspect,value, then one mark a line; "
            "an empty value withdraws the mark",
            "pattern": rf"^id,competitor,aspect,value\n({cell},{cell},{cell},{cell}\n)*$",
        }
    }
    json_batch = {"schema": ref("JsonBatch")}
    return {
        "/api/marks": {
            "post": {
                "summary": "Enter, correct or withdraw (value null) one mark",
                "security": SECURED,
                "requestBody": body(ref("MarkBody")),
                "responses": {
                    "201": answer("Stored", "Stored in the log"),
                    "200": answer("Stored", "This id was stored before with the same mark"),
                    **problems(401, 403, 404, 409, 413, 422, 503),
                },
            }
        },
        "/api/marks/batch": {
            "post": {
                "summary": "Up to 1000 marks, each judged as if posted alone",
                "security": SECURED,
                "requestBody": {
                    "required": True,
                    "content": {"application/json": json_batch, "text/csv": csv},
                },
                "responses": {
                    "200": answer("BatchResults", "One result per item, in order"),
                    **problems(401, 413, 415, 422),
                },
            }
        },
    }


def _signins() -> dict[str, Any]:
    return {
        "/api/revocations": {
            "post": {
                "summary": "Revoke a person's sign-in: every token of theirs issued up to now is "
                "refused by every intake within a second; a new card works (organizer, or the "
                "chief expert of that person's skill). A command in the log, in the audit",
                "security": SECURED,
                "requestBody": body(ref("RevocationBody")),
                "responses": {
                    "201": answer("Revoked", "Stored; the person's older tokens are refused"),
                    **problems(401, 403, 404, 413, 422, 503),
                },
            }
        },
        "/api/sessions": {
            "get": {
                "summary": "One row per token intake has seen: person, issued, first and last "
                "seen, last mark, user agent, revoked or not (a skill's chief expert with "
                "`?skill=`, or an organizer; without `skill`: every skill, organizers only)",
                "security": SECURED,
                "parameters": [{"name": "skill", "in": "query", "schema": {"type": "string"}}],
                "responses": {
                    "200": answer("SessionList", "The sessions, the most recently seen first"),
                    **problems(401, 403, 404, 422, 503),
                },
            }
        },
    }


def _service() -> dict[str, Any]:
    return {
        "/api/championship": {
            "get": {
                "summary": "The championship: members, skills and marking schemes, people",
                "responses": {"200": {"description": "The championship file as loaded"}},
            }
        },
        "/healthz": {
            "get": {"summary": "The process runs", "responses": {"200": {"description": "ok"}}}
        },
        "/readyz": {
            "get": {
                "summary": "NATS and Redis answer",
                "responses": {"200": {"description": "ready"}, "503": {"description": "not ready"}},
            }
        },
        "/metrics": {
            "get": {"summary": "Prometheus metrics", "responses": {"200": {"description": "text"}}}
        },
    }


@cache
def document() -> dict[str, Any]:
    # msgspec lists the components in the order given here: keep it, so the served document
    # changes only when the API does.
    kinds = [MarkBody, JsonBatch, LockBody, UnlockBody, VisibilityBody, Problem, Stored]
    kinds += [BatchResults, JuryStored, StatusBody, StatusStored, AuditPage, *openapi_reads.KINDS]
    kinds += [RevocationBody, Revoked, SessionList, *openapi_crew.KINDS]
    _, components = msgspec.json.schema_components(
        kinds, ref_template="#/components/schemas/{name}"
    )
    return {
        "openapi": "3.1.0",
        "info": {"title": "podium intake", "version": "0.1.0"},
        "paths": paths(),
        "components": {
            "schemas": components,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
            },
        },
    }


async def endpoint(request: Request) -> Response:
    return Response(msgspec.json.encode(document()), media_type="application/json")
