"""Message contracts: what travels on NATS, one tagged union per stream.

New fields get defaults; no field ever changes type, so old events in the log still decode.
"""

from __future__ import annotations

from typing import Literal

import msgspec

from shared.signoff.commands import FormReopened, FormsCount, FormSigned


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
# A competitor's part in the competition (docs/rules.md, "Status"); the championship file's
# `Competitor.status` spells the same four.
Status = Literal["competing", "absent", "withdrawn", "non_competing"]


class CriterionLocked(msgspec.Struct, frozen=True, tag="lock", tag_field="type"):
    """The chief expert closed a criterion, or one sub-criterion of it (`sub_criterion`, as
    CIS signs off one sub-criterion's form at a time): no more marks for it until unlocked."""

    id: str
    skill: str
    criterion: str
    expert: str
    at: str
    sub_criterion: str | None = None


class CriterionUnlocked(msgspec.Struct, frozen=True, tag="unlock", tag_field="type"):
    id: str
    skill: str
    criterion: str
    expert: str
    reason: str
    at: str
    sub_criterion: str | None = None


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


class StatusChanged(msgspec.Struct, frozen=True, tag="status", tag_field="type"):
    """The chief expert or an organizer changed a competitor's status, and said why."""

    id: str
    skill: str
    competitor: str
    status: Status
    reason: str
    expert: str
    at: str


ControlCommand = (
    CriterionLocked | CriterionUnlocked | VisibilityChanged | RowRevealed | StatusChanged
)


class SignInRevoked(msgspec.Struct, frozen=True, tag="revocation", tag_field="type"):
    """Every token of `person` issued up to `at` (milliseconds) is refused from then on; the
    standings are not touched. `skill` is the person's, "" for an organizer; `expert` revoked."""

    id: str
    skill: str
    person: str
    reason: str
    expert: str
    at: str


# What a named screen in the hall is told to show (docs/screens-and-ceremony.md), tagged by `show`.
class ShowSkill(msgspec.Struct, frozen=True, tag="skill", tag_field="show"):
    skill: str


class ShowRotation(msgspec.Struct, frozen=True, tag="rotation", tag_field="show"):
    skills: tuple[str, ...]
    every: int = 15


class ShowMedals(msgspec.Struct, frozen=True, tag="medals", tag_field="show"):
    pass


class ShowCeremony(msgspec.Struct, frozen=True, tag="ceremony", tag_field="show"):
    pass


class ShowMessage(msgspec.Struct, frozen=True, tag="message", tag_field="show"):
    text: str


Show = ShowSkill | ShowRotation | ShowMedals | ShowCeremony | ShowMessage


class ScreenAssigned(msgspec.Struct, frozen=True, tag="screen", tag_field="type"):
    """The venue crew told a named screen what to show; the latest for a name stands."""

    id: str
    screen: str
    show: Show
    expert: str
    at: str


class CeremonyScripted(msgspec.Struct, frozen=True, tag="ceremony_script", tag_field="type"):
    """The closing ceremony's script: its skills in order, and whether Medallions are
    announced. It starts the ceremony over, before its first step."""

    id: str
    skills: tuple[str, ...]
    medallions: bool
    expert: str
    at: str


class CeremonyStepped(msgspec.Struct, frozen=True, tag="ceremony_step", tag_field="type"):
    """The ceremony moved (next or back) to `step`: how many of its steps are shown."""

    id: str
    step: int
    expert: str
    at: str


FormCommand = FormSigned | FormReopened


# The venue crew's commands: no skill's standings change with them.
CrewCommand = ScreenAssigned | CeremonyScripted | CeremonyStepped

# Every accepted command of the commands stream. Intake appends, ranking applies in order.
Command = MarkRecorded | ControlCommand | SignInRevoked | CrewCommand | FormCommand

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
    # Always written (a factory is not a default `omit_defaults` leaves out): every row says
    # its status. Rows stored before statuses existed read as competing.
    status: Status = msgspec.field(default_factory=lambda: "competing")
    # The members' names of a team; left out for a competitor who is one person.
    team: tuple[str, ...] = ()


class Standings(msgspec.Struct, frozen=True):
    """A skill's standings as `GET /api/standings/{skill}` shows them (docs/rules.md, 2-4)."""

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
    locked_sub_criteria: tuple[str, ...] = ()
    # Rows of the final standings shown so far in a reveal, counted from last place.
    revealed: int = 0
    # Every audience sees how far the sign-off has come: official needs all signed.
    forms: FormsCount = msgspec.field(default_factory=FormsCount)


class MemberMedals(msgspec.Struct, frozen=True):
    """One line of the medal table."""

    member: str
    name: str
    gold: int
    silver: int
    bronze: int
    excellence: int
    points: int
    # Competitors `competing` or `withdrawn`; points per entrant and the entrants' mean scale,
    # rounded half away from zero to 2 decimals, None with nothing to average.
    entrants: int = 0
    average_points: float | None = None
    average_scale: float | None = None


class MedalTable(msgspec.Struct, frozen=True):
    """The body of `GET /api/medals` (docs/rules.md, "Medal table")."""

    provisional: bool
    table: tuple[MemberMedals, ...]
    # member code -> competitor ids
    best_of_nation: dict[str, tuple[str, ...]]
    # The competitors with the championship's highest scale (ties: all), by id.
    best_overall: tuple[str, ...] = ()


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
