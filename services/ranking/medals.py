"""The medal table by member and Best of Nation (SPEC section 4), as pure functions.

Both are read off the rows of every skill's standings, which already carry each competitor's
medal and scale; nothing here re-ranks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from shared.championship import Member
from shared.events import Medal, MedalTable, MemberMedals, StandingsRow

POINTS: dict[Medal, int] = {"gold": 4, "silver": 3, "bronze": 2, "excellence": 1}


def medal_table(
    members: Sequence[Member],
    standings_by_skill: Mapping[str, Sequence[StandingsRow]],
    *,
    provisional: bool,
) -> MedalTable:
    """The medal table and Best of Nation over every skill's standings.

    `provisional` is the caller's to say: it is true unless every skill is final.
    """
    rows = [row for skill_rows in standings_by_skill.values() for row in skill_rows]
    return MedalTable(
        provisional=provisional,
        table=member_medals(members, rows),
        best_of_nation=best_of_nation(members, rows),
    )


def member_medals(
    members: Iterable[Member], rows: Iterable[StandingsRow]
) -> tuple[MemberMedals, ...]:
    """Every member's medals, points first, then golds, silvers, bronzes, then member code.

    Members without a medal are listed too: the table is the championship's, not the winners'.
    """
    won = Counter((row.member, row.medal) for row in rows if row.medal is not None)
    table = [
        MemberMedals(
            member=member.code,
            name=member.name,
            gold=won[member.code, "gold"],
            silver=won[member.code, "silver"],
            bronze=won[member.code, "bronze"],
            excellence=won[member.code, "excellence"],
            points=sum(points * won[member.code, medal] for medal, points in POINTS.items()),
        )
        for member in members
    ]
    return tuple(sorted(table, key=lambda m: (-m.points, -m.gold, -m.silver, -m.bronze, m.member)))


def best_of_nation(
    members: Iterable[Member], rows: Iterable[StandingsRow]
) -> dict[str, tuple[str, ...]]:
    """Each member's competitors with the highest scale across all skills, ties all named.

    The scale is what makes skills comparable, so the best is chosen on it, not on totals.
    A member with no scaled competitor (nothing counted yet) has no Best of Nation.
    """
    scaled: dict[str, dict[str, int]] = {}
    for row in rows:
        if row.scale is not None:
            scaled.setdefault(row.member, {})[row.competitor] = row.scale
    best: dict[str, tuple[str, ...]] = {}
    for code in sorted(member.code for member in members):
        if scores := scaled.get(code):
            top = max(scores.values())
            best[code] = tuple(sorted(c for c, scale in scores.items() if scale == top))
    return best
