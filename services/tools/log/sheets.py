"""The sheets `podium export` writes, as pure functions of the stored standings and medal
table: the results (podium's columns, or the CIS ceremony columns) and the medal table.

Each sheet is a msgspec Struct per line whose fields, in order, are its columns.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Literal

import msgspec

from services.tools.log.reader import LogError
from shared.championship import Championship, Skill
from shared.events import Medal, MedalTable, Standings, StandingsRow, Status
from shared.public.view import PublicChampionship

Layout = Literal["podium", "cis"]
CENT = Decimal("0.01")
# The words a ceremony sheet uses for each medal.
MEDAL_NAMES: dict[Medal, str] = {
    "gold": "Gold",
    "silver": "Silver",
    "bronze": "Bronze",
    "excellence": "Medallion for Excellence",
}


class ExportError(LogError):
    """What stops an export; the command line prints it and exits with 2."""


class ResultRow(msgspec.Struct, frozen=True):
    """One competitor's line of the results sheet; the fields are its columns, in order."""

    position: int | None
    member: str
    member_name: str
    skill: str
    medal: Medal | None
    competitor: str
    competitor_name: str
    total: Decimal
    scale: int | None
    skill_id: str
    status: Status
    # A team's members' names, separated by "; " (as the people workbook writes them).
    team: str | None


class CeremonyRow(msgspec.Struct, frozen=True):
    """One person's line in the CIS ceremony layout: a team gives one line per member."""

    position: int | None = msgspec.field(name="Position")
    medal: str = msgspec.field(name="Medal")
    member: str = msgspec.field(name="Member")
    member_name: str = msgspec.field(name="Member Name")
    first_name: str = msgspec.field(name="First Name")
    last_name: str = msgspec.field(name="Last Name")
    skill: str = msgspec.field(name="Skill")
    scale_score: int | None = msgspec.field(name="Scale Score")


class MedalLine(msgspec.Struct, frozen=True):
    """One member's line of the medal table sheet."""

    member: str
    member_name: str
    gold: int
    silver: int
    bronze: int
    excellence: int
    points: int
    entrants: int
    average_points: float | None
    average_scale: float | None
    # Competitor ids, separated by "; ".
    best_of_nation: str
    best_overall: str


def columns(kind: type[msgspec.Struct]) -> tuple[str, ...]:
    return tuple(f.encode_name for f in msgspec.structs.fields(kind))


def result_rows(
    championship: Championship,
    standings_by_skill: Mapping[str, Standings],
    public: PublicChampionship | None = None,
) -> list[ResultRow]:
    """Every competitor of every skill: skills in championship order, then as the board
    lists them (ranked rows, then out of competition, then absent). With `public`, each
    competitor and team member is named by their public name (docs/privacy.md).

    A skill without standings stops the export, since a sheet silently missing a skill
    would be read as complete.
    """
    missing = [s.id for s in championship.skills if s.id not in standings_by_skill]
    if missing:
        raise ExportError(f"no standings yet for {', '.join(missing)}: has ranking started?")
    return [
        _result_row(championship, skill, _named(row, public))
        for skill in championship.skills
        for row in standings_by_skill[skill.id].rows
    ]


def _named(row: StandingsRow, public: PublicChampionship | None) -> StandingsRow:
    """The jury's row, or with `public` the row under the competitor's public names."""
    if public is None:
        return row
    competitor = public.index.competitors.get(row.competitor)
    name, team = (competitor.name, competitor.team) if competitor else (row.competitor, ())
    return msgspec.structs.replace(row, name=name, team=team)


def _result_row(championship: Championship, skill: Skill, row: StandingsRow) -> ResultRow:
    member = championship.index.members.get(row.member)
    return ResultRow(
        position=row.rank,
        member=row.member,
        member_name=member.name if member else "",
        skill=skill.name,
        medal=row.medal,
        competitor=row.competitor,
        competitor_name=row.name,
        # The standings hold the total already rounded to cents; repr gives back that decimal.
        total=Decimal(repr(row.total)).quantize(CENT),
        scale=row.scale,
        skill_id=skill.id,
        status=row.status,
        team="; ".join(row.team) or None,
    )


def ceremony_rows(results: list[ResultRow]) -> list[CeremonyRow]:
    """The results in the CIS ceremony columns: one line per person, a team's members each on
    their own line with the team's position, medal and scale."""
    return [
        CeremonyRow(
            position=row.position,
            medal=MEDAL_NAMES[row.medal] if row.medal else "",
            member=row.member,
            member_name=row.member_name,
            first_name=first,
            last_name=last,
            skill=row.skill,
            scale_score=row.scale,
        )
        for row in results
        for first, last in map(
            split_name, row.team.split("; ") if row.team else [row.competitor_name]
        )
    ]


def split_name(name: str) -> tuple[str, str]:
    """First name and last name of a full name: the first word, then the rest."""
    first, _, last = name.strip().partition(" ")
    return first, last.strip()


def medal_lines(table: MedalTable) -> list[MedalLine]:
    return [
        MedalLine(
            member=line.member,
            member_name=line.name,
            gold=line.gold,
            silver=line.silver,
            bronze=line.bronze,
            excellence=line.excellence,
            points=line.points,
            entrants=line.entrants,
            average_points=line.average_points,
            average_scale=line.average_scale,
            best_of_nation="; ".join(table.best_of_nation.get(line.member, ())),
            # The championship's best is its own member's best too, so the member's Best of
            # Nation names whom of the best overall are theirs.
            best_overall="; ".join(
                c for c in table.best_overall if c in table.best_of_nation.get(line.member, ())
            ),
        )
        for line in table.table
    ]


def provisional(standings_by_skill: Mapping[str, Standings]) -> list[str]:
    """Skills whose results are not final yet: their sheets must say so."""
    return [skill for skill, s in standings_by_skill.items() if s.provisional]
