"""The reads behind the marking page and the jury's panel, and the pages themselves, as parts
of intake's OpenAPI document."""

from __future__ import annotations

from typing import Any

from services.intake.describe import SECURED, SKILL, problems, ref
from services.intake.reads.boards import Board, Person, Sheet
from services.intake.reads.roster import Roster
from shared.judges import Judges

KINDS = [Person, Sheet, Board, Roster, Judges]
NOT_STORED = {"Cache-Control": {"schema": {"type": "string", "const": "no-store"}}}
# The sequence of the log an answer includes, quoted: sent back as If-None-Match.
ETAG = {"schema": {"type": "string", "pattern": '^"[0-9]+"$'}}
KNOWN = {"name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string"}}


def _json(name: str, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "headers": NOT_STORED,
        "content": {"application/json": {"schema": ref(name)}},
    }


def _html(summary: str) -> dict[str, Any]:
    page = {"description": "the page", "content": {"text/html": {"schema": {"type": "string"}}}}
    return {"get": {"summary": summary, "responses": {"200": page}}}


def paths() -> dict[str, Any]:
    return {
        "/api/me": {
            "get": {
                "summary": "Who the token speaks for: id, name, role, member and skill",
                "security": SECURED,
                "responses": {"200": _json("Person", "The signed-in person"), **problems(401)},
            }
        },
        "/api/me/marks": {
            "get": {
                "summary": "The signed-in expert's marking sheet: whom they may mark, the marks "
                "that stand (their own judgement scores), locks and judgement panels",
                "security": SECURED,
                "responses": {
                    "200": _json("Sheet", "The expert's sheet"),
                    **problems(401, 403, 503),
                },
            }
        },
        "/api/competitors": {
            "get": {
                "summary": "The competitors of the signed-in person's skill (organizers: all) "
                "under their full names, each with the public name the screens show",
                "security": SECURED,
                "responses": {"200": _json("Roster", "The competitors"), **problems(401)},
            }
        },
        "/api/skills/{skill}/board": {
            "get": {
                "summary": "The jury's board: progress per criterion and competitor, pending and "
                "disputed panels with each judge's score, locks, visibility, reveal "
                "(chief expert of the skill or organizer)",
                "security": SECURED,
                "parameters": [SKILL],
                "responses": {
                    "200": _json("Board", "The skill's board"),
                    **problems(401, 403, 404, 503),
                },
            }
        },
        "/api/skills/{skill}/judges": _judges(),
        "/mark": _html(
            "The experts' marking page; sign in with a card's QR code (`podium cards`) or the "
            "link of `podium token --link`"
        ),
        "/chief": _html(
            "The chief expert's panel, with the skill's sign-ins and a Revoke button "
            "(organizers: every skill)"
        ),
    }


def _judges() -> dict[str, Any]:
    """The chief's judgement analysis, with its ETag: see services/intake/reads/judges.py."""
    return {
        "get": {
            "summary": "The chief's judgement analysis: each judge's standing judgement "
            "scores beside the other judges' (mean deviation, mean distance, far scores, by "
            "member, compatriot scores), the most distant first (chief expert of the skill "
            "or organizer)",
            "security": SECURED,
            "parameters": [SKILL, KNOWN],
            "responses": {
                "200": {
                    **_json("Judges", "The skill's judges"),
                    "headers": {**NOT_STORED, "ETag": ETAG},
                },
                "304": {
                    "description": "No mark landed in the skill since the answer whose "
                    "ETag came as If-None-Match",
                    "headers": {**NOT_STORED, "ETag": ETAG},
                },
                **problems(401, 403, 404, 503),
            },
        }
    }
