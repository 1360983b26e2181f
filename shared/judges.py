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
from dataclasses import dataclass, field
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


@dataclass
class _Sums:
    """One judge's (or one judge's on one member's) sums, each d scaled by the common
    denominator."""

    count: int = 0
    deviation: int = 0
    distance: int = 0


@dataclass
class _Judge:
    scores: int = 0
    total: int = 0
    far: int = 0
    compatriots: int = 0
    beside: _Sums = field(default_factory=_Sums)
    by_member: dict[str, _Sums] = field(default_factory=dict)


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
    tallies: dict[str, _Judge] = {}
    for member, given in panels:
        _tally(tallies, people, member, given, common)
    rows = [_row(people[e], tally, common) for e, tally in tallies.items()]
    rows.sort(key=lambda r: (r.abs_deviation is None, -(r.abs_deviation or 0), r.expert))
    return Judges(skill, rows, applied)


def _tally(
    tallies: dict[str, _Judge],
    people: Mapping[str, Expert],
    member: str,
    given: list[tuple[str, int]],
    common: int,
) -> None:
    """Adds one panel (a competitor of `member`, an aspect) to each of its judges."""
    n = len(given)
    total = sum(s for _, s in given)
    high = max(s for _, s in given)
    low = min(s for _, s in given)
    # d = (n*s - T) / (n - 1) = (n*s - T) * scale / common
    scale = common // (n - 1) if n > 1 else 0
    for expert, score in given:
        judge = tallies.setdefault(expert, _Judge())
        judge.scores += 1
        judge.total += score
        judge.compatriots += people[expert].member == member
        if n == 1:
            continue
        # Panel's extremes belong to another judge whenever they are FAR from this score.
        judge.far += high - score >= FAR or score - low >= FAR
        scaled = (n * score - total) * scale
        for sums in (judge.beside, judge.by_member.setdefault(member, _Sums())):
            sums.count += 1
            sums.deviation += scaled
            sums.distance += abs(scaled)


def _row(expert: Expert, judge: _Judge, common: int) -> JudgeRow:
    beside = judge.beside
    distance = rounded(Fraction(beside.distance, common * beside.count)) if beside.count else None
    return JudgeRow(
        expert=expert.id,
        name=expert.name,
        member=expert.member,
        scores=judge.scores,
        mean_score=rounded(Fraction(judge.total, judge.scores)),
        deviation=rounded(Fraction(beside.deviation, common * beside.count))
        if beside.count
        else None,
        abs_deviation=distance,
        far=judge.far,
        by_member={
            member: rounded(Fraction(sums.deviation, common * sums.count))
            for member, sums in sorted(judge.by_member.items())
        },
        compatriot_scores=judge.compatriots,
        # As the chief reads it: the rounded figure.
        flagged=judge.far > 0 or (distance is not None and distance >= FLAGGED_ABS_DEVIATION),
    )
