"""The medal table by member, Best of Nation and the best overall (docs/rules.md, "Medal
table"), as pure functions.

All are read off the rows of every skill's standings, which already carry each competitor's
status, medal and scale; nothing here re-ranks. A team is one row, so it counts one medal.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction

from services.ranking.arithmetic import rounded
from services.ranking.rules import RANKED
from shared.championship import Member
from shared.events import Medal, MedalTable, MemberMedals, StandingsRow

POINTS: dict[Medal, int] = {"gold": 4, "silver": 3, "bronze": 2, "excellence": 1}


def medal_table(
    members: Sequence[Member],
    standings_by_skill: Mapping[str, Sequence[StandingsRow]],
    *,
    provisional: bool,
) -> MedalTable:
    """The medal table, Best of Nation and the best overall over every skill's standings.

    `provisional` is the caller's to say: it is true unless every skill is final.
    """
    rows = [row for skill_rows in standings_by_skill.values() for row in skill_rows]
    return MedalTable(
        provisional=provisional,
        table=member_medals(members, rows),
        best_of_nation=best_of_nation(members, rows),
        best_overall=best_overall(rows),
    )


def member_medals(
    members: Iterable[Member], rows: Iterable[StandingsRow]
) -> tuple[MemberMedals, ...]:
    """Every member's medals, points first, then golds, silvers, bronzes, then member code.

    Members without a medal are listed too: the table is the championship's, not the winners'.
    """
    rows = list(rows)
    won = Counter((row.member, row.medal) for row in rows if row.medal is not None)
    entrants = [row for row in rows if row.status in RANKED]
    counts = Counter(row.member for row in entrants)
    scales: dict[str, list[int]] = {}
    for row in entrants:
        if row.scale is not None:
            scales.setdefault(row.member, []).append(row.scale)
    table = []
    for member in members:
        code = member.code
        points = sum(points * won[code, medal] for medal, points in POINTS.items())
        scaled = scales.get(code, [])
        table.append(
            MemberMedals(
                member=code,
                name=member.name,
                gold=won[code, "gold"],
                silver=won[code, "silver"],
                bronze=won[code, "bronze"],
                excellence=won[code, "excellence"],
                points=points,
                entrants=counts[code],
                average_points=average(points, counts[code]),
                average_scale=average(sum(scaled), len(scaled)),
            )
        )
    return tuple(sorted(table, key=lambda m: (-m.points, -m.gold, -m.silver, -m.bronze, m.member)))


def average(total: int, count: int) -> float | None:
    """total / count rounded half away from zero to 2 decimals; None with nothing to average."""
    return None if count == 0 else float(rounded(Fraction(total, count)))


def best_of_nation(
    members: Iterable[Member], rows: Iterable[StandingsRow]
) -> dict[str, tuple[str, ...]]:
    """Each member's competing competitors with the highest scale across all skills, ties all
    named.

    The scale is what makes skills comparable, so the best is chosen on it, not on totals.
    A member with no scaled competing competitor (nothing counted yet) has no Best of Nation.
    """
    scaled: dict[str, dict[str, int]] = {}
    for row in rows:
        if row.scale is not None and row.status == "competing":
            scaled.setdefault(row.member, {})[row.competitor] = row.scale
    best: dict[str, tuple[str, ...]] = {}
    for code in sorted(member.code for member in members):
        if scores := scaled.get(code):
            best[code] = _highest(scores)
    return best


def best_overall(rows: Iterable[StandingsRow]) -> tuple[str, ...]:
    """The competing competitors with the highest scale of the championship, ties all named."""
    scores = {
        r.competitor: r.scale for r in rows if r.scale is not None and r.status == "competing"
    }
    return _highest(scores) if scores else ()


def _highest(scores: Mapping[str, int]) -> tuple[str, ...]:
    top = max(scores.values())
    return tuple(sorted(c for c, scale in scores.items() if scale == top))
