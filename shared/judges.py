"""The chief's judgement analysis (docs/rules.md, "Judges"): how each judge of a skill scores
beside the other judges of the same competitor and aspect. Pure: no I/O here.

Intake answers `GET /api/skills/{skill}/judges` with it and `podium export judges` writes it,
both from the standing scores in ranking's marks hash.

Every deviation is exact: a judge's d on a panel of n scores with total T is
(n*s - T) / (n - 1), so each sum is kept as one integer over the least common multiple of the
panels' n - 1 (at most lcm(1..9) for ten judges) and made a fraction once, rather than a
Fraction and its gcd per score; the results are the same, exactly.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from fractions import Fraction

import msgspec

from shared.championship import Competitor, Expert

# A judge is flagged on the chief's panel from this mean distance to the others' mean, or for
# any score two or more away from another judge's on the same panel.
FLAGGED_ABS_DEVIATION = 0.5
FAR = 2

# (competitor, aspect) -> {expert: score}: the judgement scores that stand.
Scores = Mapping[tuple[str, str], Mapping[str, int]]


class JudgeRow(msgspec.Struct, frozen=True):
    """One judge's pattern: numbers rounded half away from zero to 3 decimals."""

    expert: str
    name: str
    member: str
    # How many standing judgement scores the expert has, and their mean.
    scores: int
    mean_score: float
    # The mean of d and of |d| over the expert's scores with another judge beside; d is the
    # score minus the mean of the other judges' scores there. None without such a score.
    deviation: float | None
    abs_deviation: float | None
    # The expert's scores 2 or more away from another judge's score on the same panel.
    far: int
    # Member -> the mean d over the expert's scores on that member's competitors.
    by_member: dict[str, float]
    # Scores on competitors of the expert's own member (where the skill allows it).
    compatriot_scores: int
    # abs_deviation of 0.5 or more, or far not 0: the chief looks at this judge.
    flagged: bool


class Judges(msgspec.Struct, frozen=True):
    """`GET /api/skills/{skill}/judges`: one row per expert of the skill (chief included)
    with a standing judgement score, the most distant from the panel first."""

    skill: str
    judges: list[JudgeRow]
    # The last sequence of the event log the scores include.
    applied: int = 0


# Index of each sum a judge's tally keeps per member: every sum is over the judge's scores on
# that member's competitors, the last three over those with another judge beside, each d
# scaled by the common denominator.
SCORES, TOTAL, FAR_SCORES, BESIDE, DEVIATION, DISTANCE = range(6)


def rounded(value: Fraction) -> float:
    """To 3 decimals, half away from zero, in integers (a float only at the end)."""
    whole, rest = divmod(abs(value.numerator) * 1000, value.denominator)
    if 2 * rest >= value.denominator:
        whole += 1
    return (whole if value >= 0 else -whole) / 1000


def judges(
    skill: str,
    competitors: Iterable[Competitor],
    experts: Iterable[Expert],
    scores: Scores,
    applied: int = 0,
) -> Judges:
    """The skill's table from its competitors, its experts and the standing scores; a score
    by someone else, or on another skill's competitor, is not the skill's and is left out."""
    member_of = {c.id: c.member for c in competitors if c.skill == skill}
    people = {e.id: e for e in experts if e.skill == skill}
    panels = [
        (member_of[competitor], given)
        for (competitor, _), by_expert in scores.items()
        if competitor in member_of
        and (given := [(e, s) for e, s in by_expert.items() if e in people])
    ]
    common = math.lcm(*(len(given) - 1 for _, given in panels if len(given) > 1))
    # (expert, member) -> the sums above: one look-up per score, the judge's own sums added up
    # from them at the end.
    tallies: dict[tuple[str, str], list[int]] = {}
    for member, given in panels:
        _tally(tallies, member, given, common)
    by_expert: dict[str, dict[str, list[int]]] = {}
    for (expert, member), sums in tallies.items():
        by_expert.setdefault(expert, {})[member] = sums
    rows = [_row(people[e], sums, common) for e, sums in by_expert.items()]
    rows.sort(key=lambda r: (r.abs_deviation is None, -(r.abs_deviation or 0), r.expert))
    return Judges(skill, rows, applied)


def _tally(
    tallies: dict[tuple[str, str], list[int]],
    member: str,
    given: list[tuple[str, int]],
    common: int,
) -> None:
    """Adds one panel (a competitor of `member`, an aspect) to each of its judges."""
    values = [s for _, s in given]
    n, total, high, low = len(values), sum(values), max(values), min(values)
    # d = (n*s - T) / (n - 1) = (n*s - T) * scale / common
    scale = common // (n - 1) if n > 1 else 0
    for expert, score in given:
        sums = tallies.get((expert, member))
        if sums is None:
            sums = tallies[(expert, member)] = [0, 0, 0, 0, 0, 0]
        sums[SCORES] += 1
        sums[TOTAL] += score
        if n == 1:
            continue
        # The panel's extremes belong to another judge whenever they are FAR from this score.
        sums[FAR_SCORES] += high - score >= FAR or score - low >= FAR
        scaled = (n * score - total) * scale
        sums[BESIDE] += 1
        sums[DEVIATION] += scaled
        sums[DISTANCE] += scaled if scaled >= 0 else -scaled


def _row(expert: Expert, by_member: dict[str, list[int]], common: int) -> JudgeRow:
    """The judge's row from their sums on each member's competitors."""
    scores, total, far, beside, deviation, distance = (
        sum(column) for column in zip(*by_member.values(), strict=True)
    )
    shown = rounded(Fraction(distance, common * beside)) if beside else None
    return JudgeRow(
        expert=expert.id,
        name=expert.name,
        member=expert.member,
        scores=scores,
        mean_score=rounded(Fraction(total, scores)),
        deviation=rounded(Fraction(deviation, common * beside)) if beside else None,
        abs_deviation=shown,
        far=far,
        by_member={
            member: rounded(Fraction(sums[DEVIATION], common * sums[BESIDE]))
            for member, sums in sorted(by_member.items())
            if sums[BESIDE]
        },
        compatriot_scores=by_member[expert.member][SCORES] if expert.member in by_member else 0,
        # As the chief reads it: the rounded figure.
        flagged=far > 0 or (shown is not None and shown >= FLAGGED_ABS_DEVIATION),
    )
