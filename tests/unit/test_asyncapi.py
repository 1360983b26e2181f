"""docs/asyncapi.json is what FastStream generates from the code today."""

from __future__ import annotations

import json
from pathlib import Path

from services.tools.asyncapi import document

DOCUMENT = Path(__file__).parents[2] / "docs" / "asyncapi.json"


def test_the_committed_document_is_current() -> None:
    assert DOCUMENT.read_text() == document() + "\n", "run `make asyncapi` and commit the result"


def test_it_names_the_stream_subjects_and_every_message_field() -> None:
    spec = json.loads(document())
    addresses = {c["address"] for c in spec["channels"].values()}
    assert addresses == {
        "podium.commands.{skill}.>",
        "podium.commands.*.control",
        "podium.commands.*.revocation",
        "podium.commands.>",
        "podium.commands.~crew.>",
        "podium.standings.{skill}",
        "podium.standings.*",
        "podium.medals",
        "podium.ranking.rebuild",
        "podium.ticker",
    }
    schemas = spec["components"]["schemas"]
    commands = next(s for name, s in schemas.items() if name.startswith("intake:commands"))
    kinds = {variant["properties"]["type"]["enum"][0]: variant for variant in commands["anyOf"]}
    assert set(kinds) == {
        "mark", "lock", "unlock", "visibility", "reveal", "status", "revocation", "screen",
        "ceremony_script", "ceremony_step", "signoff", "reopen",
    }  # fmt: skip
    fields = {"type", "id", "skill", "competitor", "aspect", "expert", "value", "at"}
    assert set(kinds["mark"]["required"]) == fields
    assert "reason" in kinds["unlock"]["required"]
    assert {"person", "reason", "expert", "at"} <= set(kinds["revocation"]["required"])
    assert "$ref" not in json.dumps(commands)
