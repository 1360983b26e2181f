"""An independent recomputation of the chief's judgement analysis, for the tests.

Written from the rules document (docs/rules.md, "Judges") alone, without `shared.judges`:
it folds the marks itself (a withdrawal takes the expert's score back, a later score replaces
an earlier one), walks judge by judge with a Fraction for every d, and rounds with Decimal,
where the module walks panel by panel on integers over a common denominator.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from typing import Any, NamedTuple

from shared.championship import Competitor, Expert


class Marked(NamedTuple):
    """One accepted judgement submission, in log order; `value` None withdraws it."""

    competitor: str
    aspect: str
    expert: str
    value: int | None


def standing(marks: Iterable[Marked]) -> dict[tuple[str, str, str], int]:
    """(competitor, aspect, expert) -> the score that stands after every submission."""
    scores: dict[tuple[str, str, str], int] = {}
    for mark in marks:
        key = (mark.competitor, mark.aspect, mark.expert)
        if mark.value is None:
            scores.pop(key, None)
        else:
            scores[key] = mark.value
    return scores


def three_places(value: Fraction) -> float:
    with localcontext() as context:
        context.prec = 60
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        return float(exact.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP))


def _mean(values: Sequence[Fraction]) -> Fraction | None:
    return sum(values, Fraction(0)) / len(values) if values else None


def table(
    skill: str, competitors: Sequence[Competitor], experts: Sequence[Expert], marks: list[Marked]
) -> list[dict[str, Any]]:
    """The rows of `GET /api/skills/{skill}/judges` as plain data, sorted as the rules say."""
    members = {c.id: c.member for c in competitors if c.skill == skill}
    judges = {e.id: e for e in experts if e.skill == skill}
    scores = {
        key: score
        for key, score in standing(marks).items()
        if key[0] in members and key[2] in judges
    }
    rows = []
    for expert in judges.values():
        mine = [(c, a, s) for (c, a, e), s in scores.items() if e == expert.id]
        if mine:
            rows.append(_row(expert, mine, scores, members))
    return sorted(
        rows,
        key=lambda r: (
            r["abs_deviation"] is None,
            -(r["abs_deviation"] or 0),
            r["expert"],
        ),
    )


def _row(
    expert: Expert,
    mine: list[tuple[str, str, int]],
    scores: dict[tuple[str, str, str], int],
    members: dict[str, str],
) -> dict[str, Any]:
    ds: list[Fraction] = []
    per_member: dict[str, list[Fraction]] = {}
    far = 0
    for competitor, aspect, score in mine:
        others = [
            s
            for (c, a, e), s in scores.items()
            if c == competitor and a == aspect and e != expert.id
        ]
        if any(abs(score - other) >= 2 for other in others):
            far += 1
        if others:
            d = score - Fraction(sum(others), len(others))
            ds.append(d)
            per_member.setdefault(members[competitor], []).append(d)
    deviation = _mean(ds)
    distance = _mean([abs(d) for d in ds])
    shown = None if distance is None else three_places(distance)
    return {
        "expert": expert.id,
        "name": expert.name,
        "member": expert.member,
        "scores": len(mine),
        "mean_score": three_places(Fraction(sum(s for _, _, s in mine), len(mine))),
        "deviation": None if deviation is None else three_places(deviation),
        "abs_deviation": shown,
        "far": far,
        "by_member": {m: three_places(sum(v, Fraction(0)) / len(v)) for m, v in per_member.items()},
        "compatriot_scores": sum(members[c] == expert.member for c, _, _ in mine),
        "flagged": far > 0 or (shown is not None and shown >= 0.5),
    }
