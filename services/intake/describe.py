"""The pieces every part of intake's OpenAPI document is built from, so the refusals, answers
and bodies of each endpoint read the same wherever its paths are written."""

from __future__ import annotations

from typing import Any

import msgspec

SECURED: list[dict[str, list[str]]] = [{"bearer": []}]
PROBLEM = {"$ref": "#/components/schemas/Problem"}
SKILL = {"name": "skill", "in": "path", "required": True, "schema": {"type": "string"}}


def problems(*statuses: int) -> dict[str, Any]:
    """The refusal responses for `statuses`, each a problem+json."""
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


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def answer(name: str, description: str) -> dict[str, Any]:
    """A JSON answer of the schema `name`."""
    return {"description": description, "content": {"application/json": {"schema": ref(name)}}}


def query(kind: type[msgspec.Struct]) -> list[dict[str, Any]]:
    """The query parameters of `kind`, the Struct the endpoint converts its query to."""
    _, components = msgspec.json.schema_components([kind])
    fields: dict[str, dict[str, Any]] = components[kind.__name__]["properties"]
    return [{"name": name, "in": "query", "schema": _given(f)} for name, f in fields.items()]


def _given(field: dict[str, Any]) -> dict[str, Any]:
    # A query leaves out a parameter that is None; it never spells null.
    kinds: list[dict[str, Any]] = [k for k in field.get("anyOf", []) if k != {"type": "null"}]
    if len(kinds) != 1:
        return field
    return {k: v for k, v in field.items() if k not in ("anyOf", "default")} | kinds[0]


def body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}
