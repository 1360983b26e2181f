"""docs/asyncapi.json is what FastStream generates from the code today."""

from __future__ import annotations

import json
from pathlib import Path

from services.asyncapi import document

DOCUMENT = Path(__file__).parents[2] / "docs" / "asyncapi.json"


def test_the_committed_document_is_current() -> None:
    assert DOCUMENT.read_text() == document() + "\n", "run `make asyncapi` and commit the result"


def test_it_names_the_stream_subjects_and_every_message_field() -> None:
    spec = json.loads(document())
    addresses = {c["address"] for c in spec["channels"].values()}
    assert addresses == {
        "podium.commands.{skill}",
        "podium.commands.>",
        "podium.standings.{skill}",
        "podium.standings.*",
    }
    schemas = spec["components"]["schemas"]
    mark = next(s for s in schemas.values() if "competitor" in s.get("properties", {}))
    assert set(mark["required"]) == {
        "type",
        "id",
        "skill",
        "competitor",
        "aspect",
        "expert",
        "value",
        "at",
    }
    assert "$ref" not in json.dumps(mark)
