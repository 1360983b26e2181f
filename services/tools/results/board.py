"""What the results site and `results.json` show, as pure functions of the championship and
the stored standings: final skills only, public names only (docs/privacy.md).

A skill that is not `final` has no standings here, only its name: its results are not
official, whatever the jury sees. The medal table, Best of Nation and the best overall are
counted from the final skills alone, by the same functions ranking counts them with.
"""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from services.ranking.medals import medal_table
from shared.championship import Championship
from shared.events import MedalTable, Standings, StandingsRow
from shared.public.names import initials
from shared.public.view import PublicChampionship


class ChampionshipRef(msgspec.Struct, frozen=True):
    id: str
    name: str


class SkillResults(msgspec.Struct, frozen=True):
    """A skill's rows as `GET /api/standings/{skill}` shows them, with public names; none
    until the skill is final."""

    id: str
    name: str
    final: bool
    rows: tuple[StandingsRow, ...]


class ResultsFile(msgspec.Struct, frozen=True):
    """`results.json` (docs/after-the-championship.md)."""

    championship: ChampionshipRef
    skills: tuple[SkillResults, ...]
    # Shaped as `GET /api/medals`, counting final skills only.
    medals: MedalTable


def full_row(championship: Championship, row: StandingsRow) -> StandingsRow:
    """The row with the competitor's name and team as the championship gives them: the
    source of names, whatever a stored row carries."""
    competitor = championship.index.competitors.get(row.competitor)
    if competitor is None:
        return row
    return msgspec.structs.replace(row, name=competitor.name, team=competitor.team)


def public_row(public: PublicChampionship, row: StandingsRow) -> StandingsRow:
    """The row named as the public championship names its competitor: the one source of
    public names (docs/privacy.md), whatever the stored row carries. A row of no known
    competitor shows initials only."""
    competitor = public.index.competitors.get(row.competitor)
    if competitor is None:
        return msgspec.structs.replace(
            row, name=initials(row.name), team=tuple(initials(m) for m in row.team)
        )
    return msgspec.structs.replace(row, name=competitor.name, team=competitor.team)


def final_standings(
    championship: Championship | PublicChampionship, stored: Mapping[str, Standings]
) -> dict[str, Standings]:
    """The stored standings of the skills that are final, by skill id."""
    return {
        skill.id: stored[skill.id]
        for skill in championship.skills
        if skill.id in stored and stored[skill.id].visibility == "final"
    }


def results(public: PublicChampionship, stored: Mapping[str, Standings]) -> ResultsFile:
    final = final_standings(public, stored)
    skills = tuple(
        SkillResults(
            id=skill.id,
            name=skill.name,
            final=skill.id in final,
            rows=tuple(public_row(public, row) for row in final[skill.id].rows)
            if skill.id in final
            else (),
        )
        for skill in public.skills
    )
    medals = medal_table(
        public.members,
        {skill.id: skill.rows for skill in skills if skill.final},
        provisional=len(final) < len(public.skills),
    )
    return ResultsFile(
        championship=ChampionshipRef(id=public.id, name=public.name),
        skills=skills,
        medals=medals,
    )
