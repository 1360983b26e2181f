"""The words people write into intake's bodies: a reason the audit keeps, a message for the
hall's screens. Each is one type that the decoder applies and the OpenAPI document states, so
a blank text is refused by the very pattern the document gives its clients."""

from __future__ import annotations

from typing import Annotated

import msgspec

from services.intake.rules import Refusal

# At least one character that is not white space in either reading of the pattern: Python's
# (msgspec's decoder, `str.strip()`), whose `\s` also holds \x1c-\x1f and \x85, and
# ECMAScript's (JSON Schema's, so every client's validator), whose `\s` also holds \ufeff.
NOT_BLANK = r"[^\s\x1c-\x1f\x85\ufeff]"
# How msgspec words a text that does not match it.
BLANK = f"Expected `str` matching regex {NOT_BLANK!r}"

Reason = Annotated[
    str,
    msgspec.Meta(
        pattern=NOT_BLANK,
        max_length=1000,
        description="Why, in words the audit keeps; not blank",
    ),
]
Message = Annotated[
    str, msgspec.Meta(pattern=NOT_BLANK, max_length=500, description="What to say; not blank")
]


def blank(path: str, title: str) -> Refusal:
    """A blank text where words are wanted; a blank reason keeps its own code (docs/api.md)."""
    if path.rpartition(".")[2] == "reason":
        detail = "say why, in words the audit keeps"
        return Refusal(422, "Reason required", detail, "reason_required", path)
    return Refusal(422, title, "write words, not only white space", "invalid", path)
