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


Visibility = Literal["live", "progress", "frozen", "final"]


class CriterionLocked(msgspec.Struct, frozen=True, tag="lock", tag_field="type"):
    """The chief expert closed a criterion: no more marks for it until unlocked."""

    id: str
    skill: str
    criterion: str
    expert: str
    at: str


class CriterionUnlocked(msgspec.Struct, frozen=True, tag="unlock", tag_field="type"):
    id: str
    skill: str
    criterion: str
    expert: str
    reason: str
    at: str


class VisibilityChanged(msgspec.Struct, frozen=True, tag="visibility", tag_field="type"):
    id: str
    skill: str
    mode: Visibility
    expert: str
    at: str


class RowRevealed(msgspec.Struct, frozen=True, tag="reveal", tag_field="type"):
    """One more row of a frozen skill's final standings shown, from last place up."""

    id: str
    skill: str
    revealed: int
    expert: str
    at: str


ControlCommand = CriterionLocked | CriterionUnlocked | VisibilityChanged | RowRevealed

# Every accepted command of the commands stream. Intake appends, ranking applies in order.
Command = MarkRecorded | ControlCommand

command_decoder = msgspec.json.Decoder(Command)
encoder = msgspec.json.Encoder()
Medal = Literal["gold", "silver", "bronze", "excellence"]


class AspectRef(msgspec.Struct, frozen=True):
    competitor: str
    aspect: str


class StandingsRow(msgspec.Struct, frozen=True, omit_defaults=True):
    rank: int | None
    competitor: str
    name: str
    member: str
    progress: float
    # None where the public sees marking progress only (visibility `progress`).
    total: float | None = None
    criteria: dict[str, float] = {}
    scale: int | None = None
    medal: Medal | None = None


class Standings(msgspec.Struct, frozen=True):
    """A skill's standings as `GET /api/standings/{skill}` shows them (docs/api.md)."""

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
    locked: tuple[str, ...] = ()
    # Rows of the final standings shown so far in a reveal, counted from last place.
    revealed: int = 0


class MemberMedals(msgspec.Struct, frozen=True):
    """One line of the medal table."""

    member: str
    name: str
    gold: int
    silver: int
    bronze: int
    excellence: int
    points: int


class MedalTable(msgspec.Struct, frozen=True):
    """The body of `GET /api/medals` (docs/api.md)."""

    provisional: bool
    table: tuple[MemberMedals, ...]
    # member code -> competitor ids
    best_of_nation: dict[str, tuple[str, ...]]


class MedalsPublished(msgspec.Struct, frozen=True, tag="medals", tag_field="type"):
    """Ranking's medal table over every skill, with a version that only grows."""

    version: int
    updated_at: str
    medals: MedalTable
    # Counted only from what the public may see of each skill; `medals` is the jury's.
    public: MedalTable | None = None


class TickerItem(msgspec.Struct, frozen=True, omit_defaults=True):
    """One accepted mark as the ticker shows it. `value` is left out where the public sees
    marking progress only."""

    seq: int
    skill: str
    competitor: str
    name: str
    member: str
    aspect: str
    at: str
    value: float | None = None
    withdrawn: bool = False


class TickerPublished(msgspec.Struct, frozen=True, tag="ticker", tag_field="type"):
    """The most recent accepted marks, newest first; `public` leaves out what visibility hides."""

    version: int
    items: tuple[TickerItem, ...]
    public: tuple[TickerItem, ...] = ()


class StandingsPublished(msgspec.Struct, frozen=True, tag="standings", tag_field="type"):
    """Ranking's snapshot of one skill, with the mark ids it is the first to include."""

    standings: Standings
    marks: tuple[str, ...] = ()
    # What everyone may see, by the skill's visibility; `standings` is the jury's view.
    public: Standings | None = None


standings_decoder = msgspec.json.Decoder(StandingsPublished)
medals_decoder = msgspec.json.Decoder(MedalsPublished)
ticker_decoder = msgspec.json.Decoder(TickerPublished)
ticker_items_decoder = msgspec.json.Decoder(TickerItem)
