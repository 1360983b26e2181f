"""The experts' API as OpenAPI 3.1, built from the same msgspec types the endpoints decode."""

from __future__ import annotations

from functools import cache
from typing import Any

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from services.intake import openapi_crew, openapi_reads
from services.intake.batch import JsonBatch
from services.intake.jury import LockBody, StatusBody, UnlockBody, VisibilityBody
from services.intake.rules import MarkBody
from services.intake.signins import RevocationBody, Revoked, SessionList

PROBLEM = {"$ref": "#/components/schemas/Problem"}


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


class JuryStored(msgspec.Struct):
    id: str
    seq: int
    locked: list[str]
    locked_sub_criteria: list[str]
    visibility: str
    revealed: int


class StatusStored(msgspec.Struct):
    """The competitor's status now; `id` and `seq` only when a command was stored."""

    competitor: str
    status: str
    changed: bool
    id: str | None = None
    seq: int | None = None


class AuditEntry(msgspec.Struct):
    seq: int
    time: str
    who: str
    name: str
    type: str


class AuditPage(msgspec.Struct):
    skill: str | None
    commands: list[AuditEntry]
    next_after: int | None


def _problems(*statuses: int) -> dict[str, Any]:
    described = {
        401: "No token, or a bad, expired, foreign or revoked one (title `Sign-in revoked`)",
        403: "Signed in, but the rules do not allow this",
        404: "Unknown competitor, aspect, skill, criterion or person",
        409: "Conflicts with what the log already holds",
        413: "Body too large",
        415: "Neither JSON nor CSV",
        422: "The body or query names what is wrong in `errors`",
        429: "Over the rate limit of this token or address; `Retry-After` says when to retry",
        503: "The event log cannot take it now; retry with the same id",
    }
    # Any API request may meet the rate limits.
    return {
        str(status): {
            "description": described[status],
            "content": {"application/problem+json": {"schema": PROBLEM}},
        }
        for status in sorted({*statuses, 429})
    }


def _json(name: str, description: str) -> dict[str, Any]:
    schema = {"$ref": f"#/components/schemas/{name}"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _body(name: str) -> dict[str, Any]:
    return {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
    }


SKILL = {"name": "skill", "in": "path", "required": True, "schema": {"type": "string"}}
COMPETITOR = {"name": "competitor", "in": "path", "required": True, "schema": {"type": "string"}}
CRITERION = {
    "name": "criterion",
    "in": "path",
    "required": True,
    "description": "The id of a locked criterion (`A`) or sub-criterion (`A1`)",
    "schema": {"type": "string"},
}
SECURED: list[dict[str, list[str]]] = [{"bearer": []}]
JURY_REFUSALS = (401, 403, 404, 409, 413, 422, 503)


def paths() -> dict[str, Any]:
    return {
        **_marking(),
        **_jury(),
        **_signins(),
        **openapi_reads.paths(_problems),
        **openapi_crew.paths(_problems),
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
    json_batch = {"schema": {"$ref": "#/components/schemas/JsonBatch"}}
    return {
        "/api/marks": {
            "post": {
                "summary": "Enter, correct or withdraw (value null) one mark",
                "security": SECURED,
                "requestBody": _body("MarkBody"),
                "responses": {
                    "201": _json("Stored", "Stored in the log"),
                    "200": _json("Stored", "This id was stored before with the same mark"),
                    **_problems(401, 403, 404, 409, 413, 422, 503),
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
                    "200": _json("BatchResults", "One result per item, in order"),
                    **_problems(401, 413, 415, 422),
                },
            }
        },
    }


def _jury_command(
    summary: str, parameters: list[dict[str, Any]], body: str | None, answer: str
) -> dict[str, Any]:
    operation: dict[str, Any] = {"summary": summary, "security": SECURED, "parameters": parameters}
    if body is not None:
        operation["requestBody"] = _body(body)
    operation["responses"] = {"201": _json("JuryStored", answer), **_problems(*JURY_REFUSALS)}
    return operation


def _jury() -> dict[str, Any]:
    limit = {"type": "integer", "minimum": 1, "maximum": 500}
    return {
        "/api/skills/{skill}/locks": {
            "post": _jury_command(
                "Lock a criterion or one sub-criterion (chief expert)",
                [SKILL],
                "LockBody",
                "Locked",
            )
        },
        "/api/skills/{skill}/locks/{criterion}": {
            "delete": _jury_command(
                "Unlock a criterion or sub-criterion, with a reason for the audit (chief expert)",
                [SKILL, CRITERION],
                "UnlockBody",
                "Unlocked",
            )
        },
        "/api/skills/{skill}/visibility": {
            "put": _jury_command(
                "What the public sees of the skill (chief expert or organizer)",
                [SKILL],
                "VisibilityBody",
                "Changed",
            )
        },
        "/api/skills/{skill}/reveal": {
            "post": _jury_command(
                "Reveal one more row of a frozen skill, from last place up",
                [SKILL],
                None,
                "Revealed",
            )
        },
        "/api/competitors/{competitor}/status": {
            "put": {
                "summary": "Set a competitor's status, with a reason for the audit (chief "
                "expert of the competitor's skill, or organizer)",
                "security": SECURED,
                "parameters": [COMPETITOR],
                "requestBody": _body("StatusBody"),
                "responses": {
                    "201": _json("StatusStored", "Changed, and stored in the log"),
                    "200": _json("StatusStored", "Already so: nothing stored"),
                    **_problems(*JURY_REFUSALS),
                },
            }
        },
        "/api/audit": {
            "get": {
                "summary": "Every accepted command, oldest first (chief expert or organizer)",
                "security": SECURED,
                "parameters": [
                    {"name": "skill", "in": "query", "schema": {"type": "string"}},
                    {"name": "after", "in": "query", "schema": {"type": "integer", "minimum": 0}},
                    {"name": "limit", "in": "query", "schema": limit},
                ],
                "responses": {
                    "200": _json("AuditPage", "A page"),
                    **_problems(401, 403, 404, 422, 503),
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
                "requestBody": _body("RevocationBody"),
                "responses": {
                    "201": _json("Revoked", "Stored; the person's older tokens are refused"),
                    **_problems(401, 403, 404, 413, 422, 503),
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
                    "200": _json("SessionList", "The sessions, the most recently seen first"),
                    **_problems(401, 403, 404, 422, 503),
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
