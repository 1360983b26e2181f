"""The venue crew's endpoints (named screens, the ceremony) and pages, as parts of intake's
OpenAPI document."""

from __future__ import annotations

from typing import Any, get_args

from services.intake.crew.ceremony import CeremonyMoved, CeremonyState, ScriptBody
from services.intake.crew.screens import Screens, ScreenStored, ShowBody
from services.intake.describe import SECURED, answer, body, problems, ref
from shared.crew import SCREEN_NAME

KINDS: list[Any] = [ScriptBody, CeremonyState, CeremonyMoved, ShowBody, ScreenStored, Screens]
NAME = {
    "name": "name",
    "in": "path",
    "required": True,
    # The handler checks a name with `re.fullmatch`: no trailing newline slips past `$`.
    "schema": {"type": "string", "pattern": SCREEN_NAME},
}


def _page(summary: str) -> dict[str, Any]:
    page = {"description": "the page", "content": {"text/html": {"schema": {"type": "string"}}}}
    return {"get": {"summary": summary, "responses": {"200": page}}}


def paths() -> dict[str, Any]:
    return {
        **_screens(),
        **_ceremony(),
        "/screens": _page("The venue crew's page: every named screen, its preview, what to show"),
        "/ceremony": _page("The closing ceremony's console: Next, Back and the script"),
    }


def _screens() -> dict[str, Any]:
    show = {"anyOf": [ref(kind) for kind in _show_kinds()]}
    return {
        "/api/screens": {
            "get": {
                "summary": "Every named screen seen or assigned: what it shows, whether it is "
                "connected, its language, since when, last seen (organizers)",
                "security": SECURED,
                "responses": {"200": answer("Screens", "The hall's screens"), **problems(401, 403)},
            }
        },
        "/api/screens/{name}": {
            "put": {
                "summary": "Tell a named screen what to show (organizers)",
                "security": SECURED,
                "parameters": [NAME],
                "requestBody": body(show),
                "responses": {
                    "201": answer("ScreenStored", "Stored in the log"),
                    **problems(401, 403, 404, 413, 422, 503),
                },
            }
        },
    }


def _ceremony() -> dict[str, Any]:
    # Next and Back take no body: one is refused (422).
    moved = {
        "201": answer("CeremonyMoved", "Stored in the log"),
        **problems(401, 403, 409, 413, 422, 503),
    }
    return {
        "/api/ceremony": {
            "get": {
                "summary": "The ceremony's script, its step, and what the hall sees (organizers)",
                "security": SECURED,
                "responses": {
                    "200": answer("CeremonyState", "Where the ceremony stands"),
                    **problems(401, 403, 503),
                },
            },
            "put": {
                "summary": "Set the ceremony's script; it starts over (organizers)",
                "security": SECURED,
                "requestBody": body(ref("ScriptBody")),
                "responses": {
                    "201": answer("CeremonyMoved", "Stored in the log"),
                    **problems(401, 403, 404, 409, 413, 422, 503),
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
    }


def _show_kinds() -> list[str]:
    return [kind.__name__ for kind in get_args(ShowBody)]
