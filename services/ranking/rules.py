"""The ranking rules of docs/rules.md as pure functions on plain data: each competitor's
total, rank, progress, scale and medal, by the competitor's status.

Read beside docs/rules.md: "Standings" is `standings` and `board_order`, "Scale" is
`scale_scores`, "Medals" is `medals`. The exact arithmetic they rest on is in `arithmetic`;
what each aspect counts is in `marking`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from services.ranking.arithmetic import (
    WHOLE,
    exact,
    exact_sum,
    median,
    population_variance,
    rounded,
    scale_score,
)
from services.ranking.marking import AspectResult, AspectState, Marks, aspect_results
from shared.championship import Competitor, Rules, Skill
from shared.events import AspectRef, Medal, StandingsRow, Status

# Callers (and the tests) read the arithmetic and the marks through this module too.
__all__ = [
    "Marks",
    "Result",
    "exact",
    "exact_sum",
    "median",
    "population_variance",
    "ranks",
    "rounded",
    "scale_scores",
    "standings",
]

MEDALS_BY_RANK: dict[int, Medal] = {1: "gold", 2: "silver", 3: "bronze"}
# Who is ranked, scaled into the median and sd, and counted as an entrant.
RANKED: frozenset[Status] = frozenset({"competing", "withdrawn"})


@dataclass(frozen=True)
class Result:
    rows: tuple[StandingsRow, ...]
    progress: float
    pending: tuple[AspectRef, ...]
    disputed: tuple[AspectRef, ...]


@dataclass(frozen=True)
class Tally:
    """One competitor's aspects as the marking rules count them, and their total."""

    competitor: Competitor
    results: dict[str, AspectResult]
    total: Fraction
    # Rounded once: ranking, ties and the row all use the same 2 decimals.
    shown: Decimal
    counted: int

    @classmethod
    def of(cls, skill: Skill, competitor: Competitor, marks: Marks) -> Tally:
        results = aspect_results(skill, competitor.id, marks)
        total = exact_sum(r.mark for r in results.values())
        counted = sum(r.state == "counted" for r in results.values())
        return cls(competitor, results, total, rounded(total), counted)

    @property
    def id(self) -> str:
        return self.competitor.id


class Placed(NamedTuple):
    """A ranked competitor with a counted aspect, as the medals see them."""

    competitor: Competitor
    rank: int
    total: Fraction


def ranks(totals: Sequence[Decimal]) -> list[int]:
    """Competition ranking of totals already sorted highest first: 1, 2, 2, 4."""
    out: list[int] = []
    for i, total in enumerate(totals):
        out.append(out[-1] if i and total == totals[i - 1] else i + 1)
    return out


def scale_scores(
    pool: Mapping[str, Fraction], skill: Skill, outside: Mapping[str, Fraction] | None = None
) -> dict[str, int]:
    """WorldSkills-style scale: the pool's median competitor sits at `scale_center`.

    `pool` makes the median and the sd (competing and withdrawn competitors with a counted
    aspect); `outside` (non_competing ones) is placed on the same scale without moving it.
    """
    rules = skill.rules
    center = exact(rules.scale_center)
    everyone = {**pool, **(outside or {})}
    if len(pool) < 2:
        return {c: int(rounded(center, WHOLE)) for c in everyone}
    mid = median(list(pool.values()))
    variance = population_variance(list(pool.values()))
    if variance == 0:
        return {c: int(rounded(center, WHOLE)) for c in everyone}
    spread = exact(rules.scale_spread)
    return {c: scale_score(center, spread, t, mid, variance) for c, t in everyone.items()}


def medal_bands(placed: Sequence[Placed], band: Fraction) -> list[int]:
    """Each placed competitor's medal rank: their own, or with a tie band, that of the
    competitor just above when the totals are at most `band` apart."""
    out: list[int] = []
    for i, place in enumerate(placed):
        within = band > 0 and i > 0 and placed[i - 1].total - place.total <= band
        out.append(out[-1] if within else place.rank)
    return out


def medals_on_offer(rules: Rules, entrants: int) -> frozenset[Medal]:
    """The medals a skill with this many entrants awards (`medal_min_entrants`)."""
    minimum = rules.medal_min_entrants
    needed: dict[Medal, int] = {
        "gold": minimum.gold,
        "silver": minimum.silver,
        "bronze": minimum.bronze,
    }
    return frozenset(medal for medal, need in needed.items() if entrants >= need)


def awarded_medals(
    placed: Sequence[Placed], scales: Mapping[str, int], skill: Skill, entrants: int
) -> dict[str, Medal]:
    """Medals of the placed competitors, in rank order. A withdrawn competitor keeps the
    place and its medal is handed to nobody; a medal not on offer is handed to nobody either.
    A competing competitor without a medal earns a Medallion by scale."""
    rules = skill.rules
    on_offer = medals_on_offer(rules, entrants)
    out: dict[str, Medal] = {}
    for place, band in zip(placed, medal_bands(placed, exact(rules.medal_tie_band)), strict=True):
        if place.competitor.status != "competing":
            continue
        medal = MEDALS_BY_RANK.get(band)
        if medal not in on_offer:
            medal = None
        if medal is None and scales[place.competitor.id] >= rules.excellence_threshold:
            medal = "excellence"
        if medal is not None:
            out[place.competitor.id] = medal
    return out


def board_order(tallies: Iterable[Tally]) -> list[Tally]:
    """Ranked competitors by total (ties by id); then non_competing ones by total, then
    absent ones by id: rows without a rank follow the ranked ones."""

    def key(tally: Tally) -> tuple[int, Decimal, str]:
        group = {"non_competing": 1, "absent": 2}.get(tally.competitor.status, 0)
        return group, Decimal(0) if group == 2 else -tally.shown, tally.id

    return sorted(tallies, key=key)


# A competitor's tally and criterion totals, by what decides them: the skill, the competitor
# (status included) and the competitor's own marks. A mark changes one competitor, yet every
# mark recomputes the whole board; the others' tallies are found here (most of the board's
# cost). The entry holds its skill, so the skill's id() is not reused while it is cached.
_tallies: dict[tuple[int, Competitor, tuple[object, ...]], tuple[Skill, Tally, dict[str, float]]]
_tallies = {}
TALLIES_KEPT = 4096


def _tally(skill: Skill, competitor: Competitor, marks: Marks) -> tuple[Tally, dict[str, float]]:
    """`Tally.of` and the criterion totals, worked out once per competitor's marks."""
    key = (id(skill), competitor, _marks_of(skill, competitor.id, marks))
    kept = _tallies.get(key)
    if kept is not None:
        return kept[1], kept[2]
    tally = Tally.of(skill, competitor, marks)
    criteria = _criteria_totals(skill, tally.results)
    if len(_tallies) >= TALLIES_KEPT:
        del _tallies[next(iter(_tallies))]  # the oldest
    _tallies[key] = (skill, tally, criteria)
    return tally, criteria


def _marks_of(skill: Skill, competitor: str, marks: Marks) -> tuple[object, ...]:
    """A competitor's marks that stand, aspect by aspect, as a key."""
    measurements, judgements = marks.measurements, marks.judgements
    return tuple(
        measurements.get((competitor, aspect.id))
        if aspect.kind == "measurement"
        else tuple(sorted(judgements.get((competitor, aspect.id), {}).items()))
        for _, aspect in skill.aspects
    )


def standings(skill: Skill, competitors: Iterable[Competitor], marks: Marks) -> Result:
    """Every competitor's total, rank, progress, scale and medal, in the board's order."""
    worked = {c.id: _tally(skill, c, marks) for c in competitors}
    tallies = board_order(tally for tally, _ in worked.values())
    ranked = [t for t in tallies if t.competitor.status in RANKED]
    places = dict(zip((t.id for t in ranked), ranks([t.shown for t in ranked]), strict=True))
    outside = {
        t.id: t.total for t in tallies if t.counted and t.competitor.status == "non_competing"
    }
    scales = scale_scores({t.id: t.total for t in ranked if t.counted}, skill, outside)
    placed = [Placed(t.competitor, places[t.id], t.total) for t in ranked if t.counted]
    awarded = awarded_medals(placed, scales, skill, entrants=len(ranked))
    aspect_count = sum(1 for _ in skill.aspects)
    rows = tuple(
        StandingsRow(
            rank=places.get(t.id),
            competitor=t.id,
            name=t.competitor.name,
            member=t.competitor.member,
            total=float(t.shown),
            progress=round(t.counted / aspect_count, 4) if aspect_count else 0.0,
            criteria=worked[t.id][1],
            scale=scales.get(t.id),
            medal=awarded.get(t.id),
            status=t.competitor.status,
            team=t.competitor.team,
        )
        for t in tallies
    )
    return Result(
        rows=rows,
        progress=_progress([t for t in tallies if t.competitor.status != "absent"], aspect_count),
        pending=_refs(tallies, "pending"),
        disputed=_refs(tallies, "disputed"),
    )


def _progress(expected: Sequence[Tally], aspect_count: int) -> float:
    """Counted aspects over all the aspects still to mark: an absent competitor's are not."""
    cells = aspect_count * len(expected)
    return round(sum(t.counted for t in expected) / cells, 4) if cells else 0.0


def _criteria_totals(skill: Skill, results: Mapping[str, AspectResult]) -> dict[str, float]:
    return {
        criterion.id: float(
            rounded(exact_sum(results[a.id].mark for a in criterion.aspects if a.id in results))
        )
        for criterion in skill.criteria
    }


def _refs(tallies: Iterable[Tally], state: AspectState) -> tuple[AspectRef, ...]:
    return tuple(
        AspectRef(tally.id, aspect)
        for tally in sorted(tallies, key=lambda t: t.id)
        for aspect, result in tally.results.items()
        if result.state == state
    )
