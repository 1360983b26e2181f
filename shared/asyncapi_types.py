"""Message types annotated with their JSON Schema, for the AsyncAPI document.

FastStream documents payloads through pydantic, which cannot describe msgspec Structs by
itself; msgspec describes them and pydantic's `WithJsonSchema` carries that description.
The annotation changes nothing at run time: msgspec still decodes the message.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from pydantic import GetPydanticSchema, WithJsonSchema
from pydantic_core import core_schema

from shared.events import (
    Command,
    ControlCommand,
    CrewCommand,
    MedalsPublished,
    SignInRevoked,
    StandingsPublished,
    TickerPublished,
)


def json_schema(kind: Any) -> dict[str, Any]:
    """msgspec's schema of `kind` with its `$defs` inlined, so it stands alone in a document."""
    schema = msgspec.json.schema(kind)
    definitions: dict[str, Any] = schema.pop("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                return inline(definitions[ref.rsplit("/", 1)[-1]])
            return {key: inline(value) for key, value in node.items()}
        if isinstance(node, list):
            return [inline(item) for item in node]
        return node

    resolved: dict[str, Any] = inline(schema)
    return resolved


# pydantic only describes the type here (it never validates podium's messages).
_described = GetPydanticSchema(lambda kind, handler: core_schema.any_schema())

CommandMessage = Annotated[Command, _described, WithJsonSchema(json_schema(Command))]
StandingsMessage = Annotated[
    StandingsPublished, _described, WithJsonSchema(json_schema(StandingsPublished))
]
ControlMessage = Annotated[Command, _described, WithJsonSchema(json_schema(ControlCommand))]
RevocationMessage = Annotated[Command, _described, WithJsonSchema(json_schema(SignInRevoked))]
MedalsMessage = Annotated[MedalsPublished, _described, WithJsonSchema(json_schema(MedalsPublished))]
TickerMessage = Annotated[TickerPublished, _described, WithJsonSchema(json_schema(TickerPublished))]
CrewMessage = Annotated[Command, _described, WithJsonSchema(json_schema(CrewCommand))]
