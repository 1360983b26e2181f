"""The championship's ranking rules (SPEC section 4) as pure functions on plain data.

Arithmetic is exact (Fraction) wherever rounding could move a place or a medal; values are
rounded only where the rules say: totals to 2 decimals for ranking and display, scale scores
to whole points, half away from zero.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

from shared.championship import Competitor, Skill
from shared.events import AspectRef, Medal, StandingsRow

CENT = Decimal("0.01")
MEDALS_BY_RANK: dict[int, Medal] = {1: "gold", 2: "silver", 3: "bronze"}


@dataclass
class Marks:
    """What stands for one skill: the latest measurement per (competitor, aspect), and each
    expert's latest judgement score per (competitor, aspect)."""

    measurements: dict[tuple[str, str], Fraction] = field(default_factory=dict)
    judgements: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class AspectResult:
    state: str  # "counted", "pending" or "disputed"; absent aspects are not listed at all
    mark: Fraction


@dataclass(frozen=True)
class Result:
    rows: tuple[StandingsRow, ...]
    progress: float
    pending: tuple[AspectRef, ...]
    disputed: tuple[AspectRef, ...]


def exact(value: float) -> Fraction:
    """The decimal a person typed (2.3), not the binary float nearest to it."""
    return Fraction(Decimal(repr(value)))


def judgement_result(scores: Mapping[str, int], max_mark: Fraction, skill: Skill) -> AspectResult:
    rules = skill.rules
    if len(scores) < rules.judges_per_aspect:
        return AspectResult("pending", Fraction(0))
    if max(scores.values()) - min(scores.values()) > rules.max_judge_spread:
        return AspectResult("disputed", Fraction(0))
    return AspectResult("counted", Fraction(sum(scores.values()), len(scores) * 3) * max_mark)


def aspect_results(skill: Skill, competitor: str, marks: Marks) -> dict[str, AspectResult]:
    results: dict[str, AspectResult] = {}
    for _, aspect in skill.aspects:
        key = (competitor, aspect.id)
        if aspect.kind == "measurement":
            if key in marks.measurements:
                results[aspect.id] = AspectResult("counted", marks.measurements[key])
        elif marks.judgements.get(key):
            results[aspect.id] = judgement_result(
                marks.judgements[key], exact(aspect.max_mark), skill
            )
    return results


def rounded(value: Fraction, step: Decimal = CENT) -> Decimal:
    """Half away from zero (ROUND_HALF_UP on Decimal is exactly that)."""
    with localcontext() as ctx:
        ctx.prec = 50
        exact_decimal = Decimal(value.numerator) / Decimal(value.denominator)
        return exact_decimal.quantize(step, rounding=ROUND_HALF_UP)


def ranks(totals: Sequence[Decimal]) -> list[int]:
    """Competition ranking of totals already sorted highest first: 1, 2, 2, 4."""
    out: list[int] = []
    for i, total in enumerate(totals):
        out.append(out[-1] if i and total == totals[i - 1] else i + 1)
    return out


def median(values: Sequence[Fraction]) -> Fraction:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


HALF = Fraction(1, 2)


def scale_scores(totals: Mapping[str, Fraction], skill: Skill) -> dict[str, int]:
    """WorldSkills-style scale: the median competitor sits at `scale_center`."""
    rules = skill.rules
    center = exact(rules.scale_center)
    if len(totals) < 2:
        return {c: int(rounded(center, Decimal(1))) for c in totals}
    mid = median(list(totals.values()))
    mean = sum(totals.values(), Fraction(0)) / len(totals)
    variance = sum(((t - mean) ** 2 for t in totals.values()), Fraction(0)) / len(totals)
    if variance == 0:
        return {c: int(rounded(center, Decimal(1))) for c in totals}
    spread = exact(rules.scale_spread)
    return {c: _rounded_scale(center, spread * (t - mid), variance) for c, t in totals.items()}


def _rounded_scale(center: Fraction, gap: Fraction, variance: Fraction) -> int:
    """center + gap / sqrt(variance), rounded half away from zero, decided exactly.

    The root is never taken: `x >= b` is `gap / sd >= b - center`, and comparing x * |x|
    keeps the order while squaring the root away. A score that lands on n + 1/2 exactly (two
    competitors, a spread ending in .5) is then rounded as the rule says, which no finite
    precision guarantees.
    """

    def above(bound: Fraction, strictly: bool = False) -> bool:
        need = bound - center
        left, right = gap * abs(gap), need * abs(need) * variance
        return left > right if strictly else left >= right

    guess = round(float(center) + float(gap) / math.sqrt(variance))
    if above(Fraction(0)):
        # The largest n with x >= n - 1/2.
        while not above(guess - HALF):
            guess -= 1
        while above(guess + HALF):
            guess += 1
        return guess
    # Below zero, the mirror: the smallest n with x <= n + 1/2.
    while above(guess + HALF, strictly=True):
        guess += 1
    while not above(guess - HALF, strictly=True):
        guess -= 1
    return guess


def medals(
    ordered: Sequence[tuple[str, int, Fraction]],
    scales: Mapping[str, int],
    skill: Skill,
) -> dict[str, Medal]:
    """Medals for (competitor, rank, total) sorted by rank, for those with a counted aspect."""
    band = exact(skill.rules.medal_tie_band)
    out: dict[str, Medal] = {}
    previous: tuple[int, Fraction] | None = None  # (medal rank, total) of the row above
    for competitor, rank, total in ordered:
        medal_rank = rank
        if band > 0 and previous is not None and previous[1] - total <= band:
            medal_rank = previous[0]
        previous = (medal_rank, total)
        medal = MEDALS_BY_RANK.get(medal_rank)
        if medal is None and scales[competitor] >= skill.rules.excellence_threshold:
            medal = "excellence"
        if medal is not None:
            out[competitor] = medal
    return out


def standings(skill: Skill, competitors: Iterable[Competitor], marks: Marks) -> Result:
    """Every competitor's total, rank, progress, scale and medal, in order."""
    people = sorted(competitors, key=lambda c: c.id)
    aspect_count = sum(1 for _ in skill.aspects)
    results = {c.id: aspect_results(skill, c.id, marks) for c in people}
    totals = {cid: sum((r.mark for r in rs.values()), Fraction(0)) for cid, rs in results.items()}
    counted = {cid: sum(r.state == "counted" for r in rs.values()) for cid, rs in results.items()}
    ranked = sorted(people, key=lambda c: (-rounded(totals[c.id]), c.id))
    places = ranks([rounded(totals[c.id]) for c in ranked])
    scored = {cid: totals[cid] for cid in totals if counted[cid]}
    scales = scale_scores(scored, skill)
    awarded = medals(
        [
            (c.id, place, totals[c.id])
            for c, place in zip(ranked, places, strict=True)
            if counted[c.id]
        ],
        scales,
        skill,
    )
    rows = tuple(
        StandingsRow(
            rank=place,
            competitor=c.id,
            name=c.name,
            member=c.member,
            total=float(rounded(totals[c.id])),
            progress=round(counted[c.id] / aspect_count, 4) if aspect_count else 0.0,
            criteria=_criteria_totals(skill, results[c.id]),
            scale=scales.get(c.id),
            medal=awarded.get(c.id),
        )
        for c, place in zip(ranked, places, strict=True)
    )
    cells = aspect_count * len(people)
    return Result(
        rows=rows,
        progress=round(sum(counted.values()) / cells, 4) if cells else 0.0,
        pending=_refs(results, "pending"),
        disputed=_refs(results, "disputed"),
    )


def _criteria_totals(skill: Skill, results: Mapping[str, AspectResult]) -> dict[str, float]:
    return {
        criterion.id: float(
            rounded(
                sum(
                    (results[a.id].mark for a in criterion.aspects if a.id in results),
                    Fraction(0),
                )
            )
        )
        for criterion in skill.criteria
    }


def _refs(results: Mapping[str, Mapping[str, AspectResult]], state: str) -> tuple[AspectRef, ...]:
    return tuple(
        AspectRef(competitor, aspect)
        for competitor, by_aspect in sorted(results.items())
        for aspect, result in by_aspect.items()
        if result.state == state
    )
