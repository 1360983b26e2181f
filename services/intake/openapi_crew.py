"""The venue crew's endpoints (named screens, the ceremony) and pages, as parts of intake's
OpenAPI document."""

from __future__ import annotations

from typing import Any, get_args

from services.intake.ceremony import CeremonyMoved, CeremonyState, ScriptBody
from services.intake.screens import Screens, ScreenStored, ShowBody

KINDS: list[Any] = [ScriptBody, CeremonyState, CeremonyMoved, ShowBody, ScreenStored, Screens]
SECURED: list[dict[str, list[str]]] = [{"bearer": []}]
NAME = {
    "name": "name",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"},
}


def _json(name: str, description: str) -> dict[str, Any]:
    schema = {"$ref": f"#/components/schemas/{name}"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _page(summary: str) -> dict[str, Any]:
    page = {"description": "the page", "content": {"text/html": {"schema": {"type": "string"}}}}
    return {"get": {"summary": summary, "responses": {"200": page}}}


def paths(problems: Any) -> dict[str, Any]:
    """`problems(*statuses)` gives the refusal responses, as the rest of the document has them."""
    show = {"anyOf": [{"$ref": f"#/components/schemas/{kind}"} for kind in _show_kinds()]}
    moved = {"201": _json("CeremonyMoved", "Stored in the log"), **problems(401, 403, 409, 503)}
    return {
        "/api/screens": {
            "get": {
                "summary": "Every named screen seen or assigned: what it shows, whether it is "
                "connected, its language, since when, last seen (organizers)",
                "security": SECURED,
                "responses": {"200": _json("Screens", "The hall's screens"), **problems(401, 403)},
            }
        },
        "/api/screens/{name}": {
            "put": {
                "summary": "Tell a named screen what to show (organizers)",
                "security": SECURED,
                "parameters": [NAME],
                "requestBody": _body(show),
                "responses": {
                    "201": _json("ScreenStored", "Stored in the log"),
                    **problems(401, 403, 413, 422, 503),
                },
            }
        },
        "/api/ceremony": {
            "get": {
                "summary": "The ceremony's script, its step, and what the hall sees (organizers)",
                "security": SECURED,
                "responses": {
                    "200": _json("CeremonyState", "Where the ceremony stands"),
                    **problems(401, 403, 503),
                },
            },
            "put": {
                "summary": "Set the ceremony's script; it starts over (organizers)",
                "security": SECURED,
                "requestBody": _body({"$ref": "#/components/schemas/ScriptBody"}),
                "responses": {
                    "201": _json("CeremonyMoved", "Stored in the log"),
                    **problems(401, 403, 409, 413, 422, 503),
                },
            },
        },
        "/api/ceremony/next": {
            "post": {
                "summary": "Show the next step (organizers)",
                "security": SECURED,
                "responses": moved,
            }
        },
        "/api/ceremony/back": {
            "post": {
                "summary": "Go back one step (organizers)",
                "security": SECURED,
                "responses": moved,
            }
        },
        "/screens": _page("The venue crew's page: every named screen, its preview, what to show"),
        "/ceremony": _page("The closing ceremony's console: Next, Back and the script"),
    }


def _show_kinds() -> list[str]:
    return [kind.__name__ for kind in get_args(ShowBody)]
