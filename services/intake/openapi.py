"""Intake's API as OpenAPI 3.1, built from the same msgspec types the endpoints decode and
answer with: each family (marks, jury, reads, crew) writes its own paths and names its types."""

from __future__ import annotations

from functools import cache
from typing import Any

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from services.intake.crew import openapi as crew
from services.intake.describe import ref
from services.intake.jury import openapi as jury
from services.intake.marks import openapi as marks
from services.intake.reads import openapi as reads
from shared.plumbing.web import Problem
from shared.public.view import PublicChampionship


def paths() -> dict[str, Any]:
    return {**marks.paths(), **jury.paths(), **reads.paths(), **crew.paths(), **_service()}


def _service() -> dict[str, Any]:
    return {
        "/api/championship": {
            "get": {
                "summary": "The public championship: members, skills and marking schemes, "
                "competitors under their public names (docs/privacy.md)",
                "responses": {
                    "200": {
                        "description": "The public championship",
                        "content": {"application/json": {"schema": ref("PublicChampionship")}},
                    }
                },
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
    kinds = [Problem, *marks.KINDS, *jury.KINDS, *reads.KINDS, *crew.KINDS, PublicChampionship]
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
