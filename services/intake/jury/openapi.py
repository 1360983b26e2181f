"""The jury's endpoints (locks, visibility, reveal, competitors' status, the audit) as parts of
intake's OpenAPI document."""

from __future__ import annotations

from typing import Any

from services.intake.describe import SECURED, SKILL, answer, body, problems, query, ref
from services.intake.jury.audit import AuditPage, AuditQuery
from services.intake.jury.commands import JuryStored, VisibilityBody
from services.intake.jury.forms import (
    FormDetail,
    FormView,
    ReopenBody,
    Reopened,
    Signed,
    SignoffBody,
)
from services.intake.jury.locks import ONE_NAMED, LockBody, UnlockBody
from services.intake.jury.signins import RevocationBody, Revoked, SessionList, SessionsQuery
from services.intake.jury.statuses import StatusBody, StatusStored

COMPETITOR = {"name": "competitor", "in": "path", "required": True, "schema": {"type": "string"}}
CRITERION = {
    "name": "criterion",
    "in": "path",
    "required": True,
    "description": "The id of a locked criterion (`A`) or sub-criterion (`A1`)",
    "schema": {"type": "string"},
}
JURY_REFUSALS = (401, 403, 404, 409, 413, 422, 503)


KINDS: list[Any] = [LockBody, UnlockBody, VisibilityBody, JuryStored, StatusBody, StatusStored]
KINDS += [AuditPage, RevocationBody, Revoked, SessionList]
KINDS += [FormView, FormDetail, SignoffBody, Signed, ReopenBody, Reopened]


def paths() -> dict[str, Any]:
    return {**_commands(), **_status(), **_audit(), **_signins(), **_forms()}


def _command(
    summary: str,
    parameters: list[dict[str, Any]],
    body_schema: dict[str, Any] | None,
    answered: str,
) -> dict[str, Any]:
    operation: dict[str, Any] = {"summary": summary, "security": SECURED, "parameters": parameters}
    if body_schema is not None:
        operation["requestBody"] = body(body_schema)
    operation["responses"] = {"201": answer("JuryStored", answered), **problems(*JURY_REFUSALS)}
    return operation


def _commands() -> dict[str, Any]:
    return {
        "/api/skills/{skill}/locks": {
            "post": _command(
                "Lock a criterion or one sub-criterion (chief expert)",
                [SKILL],
                {**ref("LockBody"), **ONE_NAMED},
                "Locked",
            )
        },
        "/api/skills/{skill}/locks/{criterion}": {
            "delete": _command(
                "Unlock a criterion or sub-criterion, with a reason for the audit (chief expert)",
                [SKILL, CRITERION],
                ref("UnlockBody"),
                "Unlocked",
            )
        },
        "/api/skills/{skill}/visibility": {
            "put": _command(
                "What the public sees of the skill (chief expert or organizer)",
                [SKILL],
                ref("VisibilityBody"),
                "Changed",
            )
        },
        "/api/skills/{skill}/reveal": {
            "post": _command(
                "Reveal one more row of a frozen skill, from last place up",
                [SKILL],
                None,
                "Revealed",
            )
        },
    }


def _status() -> dict[str, Any]:
    return {
        "/api/competitors/{competitor}/status": {
            "put": {
                "summary": "Set a competitor's status, with a reason for the audit (chief "
                "expert of the competitor's skill, or organizer)",
                "security": SECURED,
                "parameters": [COMPETITOR],
                "requestBody": body(ref("StatusBody")),
                "responses": {
                    "201": answer("StatusStored", "Changed, and stored in the log"),
                    "200": answer("StatusStored", "Already so: nothing stored"),
                    **problems(*JURY_REFUSALS),
                },
            }
        },
    }


def _audit() -> dict[str, Any]:
    return {
        "/api/audit": {
            "get": {
                "summary": "Every accepted command, oldest first (chief expert or organizer)",
                "security": SECURED,
                "parameters": query(AuditQuery),
                "responses": {
                    "200": answer("AuditPage", "A page"),
                    **problems(401, 403, 404, 422, 503),
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
                "parameters": query(SessionsQuery),
                "responses": {
                    "200": answer("SessionList", "The sessions, the most recently seen first"),
                    **problems(401, 403, 404, 422, 503),
                },
            }
        },
    }


FORM = {"name": "form", "in": "path", "required": True, "schema": {"type": "string"}}
FORMS_ACCESS = "the skill's experts and chief expert, or an organizer"


def _forms() -> dict[str, Any]:
    def read(summary: str, answered: dict[str, Any], with_form: bool) -> dict[str, Any]:
        return {
            "get": {
                "summary": summary,
                "security": SECURED,
                "parameters": [SKILL, FORM] if with_form else [SKILL],
                "responses": {"200": answered, **problems(401, 403, 404)},
            }
        }

    def command(summary: str, kind: str, answers: dict[str, Any]) -> dict[str, Any]:
        operation = {"summary": summary, "security": SECURED, "parameters": [SKILL, FORM]}
        responses = {**answers, **problems(401, 403, 404, 409, 413, 422, 503)}
        return {"post": {**operation, "requestBody": body(ref(kind)), "responses": responses}}

    listing = {"type": "array", "items": ref("FormView")}
    printed = {"description": "An A4 page", "content": {"text/html": {"schema": {}}}}
    return {
        "/api/skills/{skill}/forms": read(
            f"The skill's marking forms in scheme order ({FORMS_ACCESS})",
            {"description": "Every form", "content": {"application/json": {"schema": listing}}},
            with_form=False,
        ),
        "/api/skills/{skill}/forms/{form}": read(
            f"One form with every mark standing on it ({FORMS_ACCESS})",
            answer("FormDetail", "The form"),
            with_form=True,
        ),
        "/api/skills/{skill}/forms/{form}/print": read(
            f"The form as a printable A4 page for the paper archive ({FORMS_ACCESS})",
            printed,
            with_form=True,
        ),
        "/api/skills/{skill}/forms/{form}/signoff": command(
            "Sign the form as its digest says (one of its signers). 409 `stale_form` (changed "
            "since), `incomplete_form` (marks missing); 403 `not_a_signer`",
            "SignoffBody",
            {
                "201": answer("Signed", "Stored; `counted` says whether it counts"),
                "200": answer("Signed", "Already signed, that digest: nothing stored"),
            },
        ),
        "/api/skills/{skill}/forms/{form}/reopen": command(
            "Reopen a signed form, with a reason for the audit: every signature void (chief "
            "expert or organizer). 409 `not_signed`",
            "ReopenBody",
            {"201": answer("Reopened", "Stored; the form is open")},
        ),
    }
