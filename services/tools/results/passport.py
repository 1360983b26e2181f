"""A competitor's skills passport (docs/after-the-championship.md), as pure functions: each
criterion's mark beside its maximum and the median of the skill's `competing` competitors on
it, and on which side of that median the competitor stands.

The median is over `competing` competitors only, as the scale's is not: the passport compares
a competitor with those who competed for the medals, not with those out of competition.
Marks are compared as they are shown, to 2 decimals, so a mark the page shows equal to the
median is said to be at it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from statistics import median
from typing import Literal

from shared.championship import Skill
from shared.events import StandingsRow

Side = Literal["above", "below", "at"]


@dataclass(frozen=True)
class CriterionLine:
    """One line of the passport: a criterion's mark, its maximum, the skill's median on it."""

    criterion: str
    name: str
    mark: float
    maximum: float
    median: float | None
    side: Side | None


def maxima(skill: Skill) -> dict[str, float]:
    """Each criterion's maximum: the sum of its aspects' maximum marks."""
    return {c.id: round(sum(a.max_mark for a in c.aspects), 2) for c in skill.criteria}


def medians(skill: Skill, rows: Iterable[StandingsRow]) -> dict[str, float | None]:
    """Each criterion's median mark over the skill's `competing` competitors; None without
    any."""
    competing = [row for row in rows if row.status == "competing"]
    return {
        c.id: round(median(row.criteria.get(c.id, 0.0) for row in competing), 2)
        if competing
        else None
        for c in skill.criteria
    }


def side(mark: float, middle: float | None) -> Side | None:
    if middle is None:
        return None
    shown, middle = round(mark, 2), round(middle, 2)
    return "above" if shown > middle else "below" if shown < middle else "at"


def passport(
    skill: Skill, row: StandingsRow, middles: Mapping[str, float | None]
) -> tuple[CriterionLine, ...]:
    """The competitor's line for every criterion of the skill, in the scheme's order."""
    tops = maxima(skill)
    lines = []
    for criterion in skill.criteria:
        mark = round(row.criteria.get(criterion.id, 0.0), 2)
        middle = middles.get(criterion.id)
        lines.append(
            CriterionLine(
                criterion=criterion.id,
                name=criterion.name,
                mark=mark,
                maximum=tops[criterion.id],
                median=middle,
                side=side(mark, middle),
            )
        )
    return tuple(lines)
