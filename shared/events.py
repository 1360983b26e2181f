"""Message contracts: what travels on NATS, one tagged union per stream.

New fields get defaults; no field ever changes type, so old events in the log still decode.
"""

from __future__ import annotations

from typing import Literal

import msgspec


class MarkRecorded(msgspec.Struct, frozen=True, tag="mark", tag_field="type"):
    """An expert's mark, accepted by intake. `value` None withdraws that expert's mark."""

    id: str
    skill: str
    competitor: str
    aspect: str
    expert: str
    value: float | None
    at: str


# Every accepted command of the commands stream. Intake appends, ranking applies in order.
Command = MarkRecorded

command_decoder = msgspec.json.Decoder(Command)
encoder = msgspec.json.Encoder()

Visibility = Literal["live", "progress", "frozen", "final"]
Medal = Literal["gold", "silver", "bronze", "excellence"]


class AspectRef(msgspec.Struct, frozen=True):
    competitor: str
    aspect: str


class StandingsRow(msgspec.Struct, frozen=True, omit_defaults=True):
    rank: int | None
    competitor: str
    name: str
    member: str
    total: float
    progress: float
    criteria: dict[str, float]
    scale: int | None = None
    medal: Medal | None = None


class Standings(msgspec.Struct, frozen=True):
    """A skill's standings as SPEC section 8 shows them (`GET /api/standings/{skill}`)."""

    skill: str
    version: int
    epoch: str
    visibility: Visibility
    provisional: bool
    updated_at: str
    progress: float
    rows: tuple[StandingsRow, ...]
    # Jury only: broadcast strips these for the public.
    pending: tuple[AspectRef, ...] = ()
    disputed: tuple[AspectRef, ...] = ()


class StandingsPublished(msgspec.Struct, frozen=True, tag="standings", tag_field="type"):
    """Ranking's snapshot of one skill, with the mark ids it is the first to include."""

    standings: Standings
    marks: tuple[str, ...] = ()


Snapshot = StandingsPublished
snapshot_decoder = msgspec.json.Decoder(Snapshot)
