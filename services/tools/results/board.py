"""What the results site and `results.json` show, as pure functions of the championship and
the stored standings: final skills only, public names only (docs/privacy.md).

A skill that is not `final` has no standings here, only its name: its results are not
official, whatever the jury sees. The medal table, Best of Nation and the best overall are
counted from the final skills alone, by the same functions ranking counts them with.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import msgspec

from services.ranking.medals import medal_table
from shared.championship import Championship, Competitor
from shared.events import MedalTable, Standings, StandingsRow
from shared.public.names import initials, public_name


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


def name_shown(championship: Championship, name: str, competitor: Competitor | None) -> str:
    """The public name of a competitor, or of one member of a team (the team's consent and
    birth date decide for its members). A row of no known competitor shows initials only."""
    if competitor is None:
        return initials(name)
    return public_name(
        name,
        consent=competitor.consent,
        birth_date=competitor.birth_date,
        policy=championship.privacy.public_names,
        minor_age=championship.privacy.minor_age,
        on=championship.starts or date.today(),
    )


def full_row(championship: Championship, row: StandingsRow) -> StandingsRow:
    """The row with the competitor's name and team as the championship gives them: the
    source of names, whatever a stored row carries."""
    competitor = championship.index.competitors.get(row.competitor)
    if competitor is None:
        return row
    return msgspec.structs.replace(row, name=competitor.name, team=competitor.team)


def public_row(championship: Championship, row: StandingsRow) -> StandingsRow:
    competitor = championship.index.competitors.get(row.competitor)
    full = full_row(championship, row)
    return msgspec.structs.replace(
        full,
        name=name_shown(championship, full.name, competitor),
        team=tuple(name_shown(championship, member, competitor) for member in full.team),
    )


def final_standings(
    championship: Championship, stored: Mapping[str, Standings]
) -> dict[str, Standings]:
    """The stored standings of the skills that are final, by skill id."""
    return {
        skill.id: stored[skill.id]
        for skill in championship.skills
        if skill.id in stored and stored[skill.id].visibility == "final"
    }


def results(championship: Championship, stored: Mapping[str, Standings]) -> ResultsFile:
    final = final_standings(championship, stored)
    skills = tuple(
        SkillResults(
            id=skill.id,
            name=skill.name,
            final=skill.id in final,
            rows=tuple(public_row(championship, row) for row in final[skill.id].rows)
            if skill.id in final
            else (),
        )
        for skill in championship.skills
    )
    medals = medal_table(
        championship.members,
        {skill.id: skill.rows for skill in skills if skill.final},
        provisional=len(final) < len(championship.skills),
    )
    return ResultsFile(
        championship=ChampionshipRef(id=championship.id, name=championship.name),
        skills=skills,
        medals=medals,
    )
