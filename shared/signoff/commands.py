"""The sign-off's commands in the log and its count in the standings (docs/rules.md,
"Sign-off"); `shared.events` puts them in the log's union."""

from __future__ import annotations

import msgspec


class FormSigned(msgspec.Struct, frozen=True, tag="signoff", tag_field="type"):
    """An expert signed a marking form (docs/rules.md, "Sign-off"): the form's content as its
    `digest` says. It counts only if that is still the form's digest where it lands in the log."""

    id: str
    skill: str
    form: str
    digest: str
    expert: str
    at: str


class FormReopened(msgspec.Struct, frozen=True, tag="reopen", tag_field="type"):
    """The chief expert or an organizer reopened a signed form, and said why: every signature
    on it is void, and it takes marks again."""

    id: str
    skill: str
    form: str
    reason: str
    expert: str
    at: str


class FormsCount(msgspec.Struct, frozen=True):
    """How many of a skill's marking forms are signed, of all of them."""

    signed: int = 0
    total: int = 0
