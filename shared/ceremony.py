"""The closing ceremony (docs/screens-and-ceremony.md), as pure functions: its script, where
it stands as the log leaves it, and what the hall sees at a step.

For each skill of the script: a call-up (the medallists called to the stage, in alphabetical
order, with no totals or ranks), the Medallions for Excellence if the script announces them,
then bronze, silver and gold, one step each, tied medallists together. Then the medal table,
Best of Nation and the best overall. What a step shows comes from the jury's standings as they
are, whatever the public may see; a step's view holds that step alone, so nothing reaches a
screen before its step. Competitors are named by the public championship: the hall is public
(docs/privacy.md).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from typing import Literal

import msgspec

from shared.championship import Championship
from shared.events import (
    CeremonyScripted,
    CeremonyStepped,
    Medal,
    MedalTable,
    MemberMedals,
    Standings,
)
from shared.public.view import PublicChampionship

StepKind = Literal[
    "call_up", "medallions", "bronze", "silver", "gold", "medal_table", "best_of_nation",
    "best_overall",
]  # fmt: skip
PodiumMedal = Literal["bronze", "silver", "gold"]
MEDAL_STEPS: tuple[PodiumMedal, ...] = ("bronze", "silver", "gold")
PODIUM: frozenset[str] = frozenset(MEDAL_STEPS)


class Ceremony(msgspec.Struct, frozen=True):
    """Where the ceremony stands: its script and how many of its steps are shown (0: none
    yet, the hall waits for it to begin)."""

    # None: every skill of the championship, in its order (no script was ever set).
    skills: tuple[str, ...] | None = None
    medallions: bool = False
    step: int = 0


def apply(ceremony: Ceremony, command: CeremonyScripted | CeremonyStepped) -> Ceremony:
    match command:
        case CeremonyScripted(skills=skills, medallions=medallions):
            return Ceremony(skills=skills, medallions=medallions, step=0)
        case CeremonyStepped(step=step):
            return msgspec.structs.replace(ceremony, step=step)


class Step(msgspec.Struct, frozen=True):
    kind: StepKind
    # The skill of a call-up, Medallions or medal step; None for the closing three.
    skill: str | None = None


def skills_of(
    ceremony: Ceremony, championship: Championship | PublicChampionship
) -> tuple[str, ...]:
    known = championship.index.skills
    if ceremony.skills is None:
        return tuple(s.id for s in championship.skills)
    return tuple(s for s in ceremony.skills if s in known)


def script(ceremony: Ceremony, championship: Championship | PublicChampionship) -> tuple[Step, ...]:
    steps: list[Step] = []
    for skill in skills_of(ceremony, championship):
        steps.append(Step("call_up", skill))
        if ceremony.medallions:
            steps.append(Step("medallions", skill))
        steps += [Step(medal, skill) for medal in MEDAL_STEPS]
    return (*steps, Step("medal_table"), Step("best_of_nation"), Step("best_overall"))


class Called(msgspec.Struct, frozen=True):
    """A competitor named at a step: who, for which member and skill; never a total or rank."""

    competitor: str
    name: str
    member: str
    skill: str


class Nation(msgspec.Struct, frozen=True):
    member: str
    called: tuple[Called, ...]


class CeremonyView(msgspec.Struct, frozen=True):
    """What ceremony screens show now: the current step and nothing of any other."""

    step: int
    steps: int
    # None before the first step.
    current: Step | None = None
    called: tuple[Called, ...] = ()
    table: tuple[MemberMedals, ...] = ()
    nations: tuple[Nation, ...] = ()


def view(
    ceremony: Ceremony,
    championship: PublicChampionship,
    standings: Mapping[str, Standings],
    medals: MedalTable | None,
) -> CeremonyView:
    """The hall's view at the ceremony's step, from the jury's standings and medal table."""
    steps = script(ceremony, championship)
    shown = min(ceremony.step, len(steps))
    if shown == 0:
        return CeremonyView(step=0, steps=len(steps))
    current = steps[shown - 1]
    base = CeremonyView(step=shown, steps=len(steps), current=current)
    match current.kind:
        case "call_up" | "medallions" | "bronze" | "silver" | "gold":
            assert current.skill is not None
            rows = standings[current.skill].rows if current.skill in standings else ()
            wanted = PODIUM if current.kind == "call_up" else {_medal_of(current.kind)}
            medallists = [row.competitor for row in rows if row.medal in wanted]
            called = _named(championship, medallists)
            return msgspec.structs.replace(base, called=alphabetical(called))
        case "medal_table":
            return msgspec.structs.replace(base, table=medals.table if medals else ())
        case "best_of_nation":
            return msgspec.structs.replace(base, nations=best_of_nation(championship, medals))
        case "best_overall":
            ids = best_overall(medals)
            return msgspec.structs.replace(base, called=alphabetical(_named(championship, ids)))


def _medal_of(kind: str) -> Medal:
    return "excellence" if kind == "medallions" else kind  # type: ignore[return-value]


def _named(championship: PublicChampionship, ids: Iterable[str]) -> list[Called]:
    competitors = championship.index.competitors
    return [
        Called(c.id, c.name, c.member, c.skill)
        for c in (competitors.get(i) for i in ids)
        if c is not None
    ]


def alphabetical(called: Iterable[Called]) -> tuple[Called, ...]:
    """By name, letters compared without their accents or case (Ş with S, É with E), so names
    of the members' several scripts each fall in their own alphabet's order."""
    return tuple(sorted(called, key=lambda c: (_letters(c.name), c.competitor)))


def _letters(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def best_of_nation(
    championship: PublicChampionship, medals: MedalTable | None
) -> tuple[Nation, ...]:
    best = medals.best_of_nation if medals else {}
    return tuple(
        Nation(member.code, alphabetical(_named(championship, best[member.code])))
        for member in championship.members
        if best.get(member.code)
    )


def best_overall(medals: MedalTable | None) -> tuple[str, ...]:
    """The competitors with the championship's highest scale, ties all named: ranking's medal
    table names them (competing competitors only, docs/rules.md)."""
    return medals.best_overall if medals else ()
