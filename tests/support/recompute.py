"""An independent recomputation of the standings from the audit log, for the tests.

Written from the rules document (docs/rules.md) alone, without ranking's code, so that
ranking's results can be checked against it: nothing here imports services.ranking.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from shared.championship import Aspect, Competitor, Rules, Skill
from tests.support.people import demo

CHAMPIONSHIP = demo()


def aspect_of(skill: str, aspect: str) -> Aspect:
    return CHAMPIONSHIP.index.aspects[(skill, aspect)][1]


def totals_from_audit(lines: Iterable[dict[str, Any]]) -> dict[str, Fraction]:
    """Each competitor's total from the audit lines alone, by the marking rules (docs/rules.md)."""
    measured: dict[tuple[str, str, str], Fraction] = {}
    scores: dict[tuple[str, str, str], dict[str, int]] = defaultdict(dict)
    for line in lines:
        if line["type"] != "mark":
            continue
        key = (line["skill"], line["competitor"], line["aspect"])
        judged = aspect_of(line["skill"], line["aspect"]).kind == "judgement"
        if line["value"] is None:
            if judged:
                scores[key].pop(line["expert"], None)
            else:
                measured.pop(key, None)
        elif judged:
            scores[key][line["expert"]] = int(line["value"])
        else:
            measured[key] = Fraction(str(line["value"]))
    totals: dict[str, Fraction] = defaultdict(Fraction)
    for (_, competitor, _), value in measured.items():
        totals[competitor] += value
    for (skill, competitor, aspect), by_expert in scores.items():
        totals[competitor] += judged_mark(skill, aspect, list(by_expert.values()))
    return totals


def judged_mark(skill: str, aspect: str, scores: list[int]) -> Fraction:
    """mean / 3 * max_mark once enough judges agree closely enough; else 0 (pending, disputed)."""
    rules = CHAMPIONSHIP.index.skills[skill].rules
    if len(scores) < rules.judges_per_aspect or max(scores) - min(scores) > rules.max_judge_spread:
        return Fraction(0)
    top = Fraction(str(aspect_of(skill, aspect).max_mark))
    return Fraction(sum(scores), len(scores)) / 3 * top


def to_cents(value: Fraction) -> Decimal:
    """Half away from zero, by hand: floor(|x| * 100 + 1/2), with the sign put back."""
    cents = math.floor(abs(value) * 100 + Fraction(1, 2))
    return Decimal(cents if value >= 0 else -cents) / 100


def ranked(skill_id: str, totals: dict[str, Fraction]) -> list[tuple[int, str, Decimal]]:
    """(rank, competitor, total) as the rules order them: 1, 2, 2, 4, ties by competitor id."""
    people = [c.id for c in CHAMPIONSHIP.index.competitors_of(skill_id)]
    order = sorted(people, key=lambda c: (-to_cents(totals[c]), c))
    out: list[tuple[int, str, Decimal]] = []
    for i, c in enumerate(order):
        tied = bool(out) and to_cents(totals[c]) == out[-1][2]
        out.append((out[-1][0] if tied else i + 1, c, to_cents(totals[c])))
    return out


# docs/rules.md, "Status", "Teams", "Too few entrants", "Medal table": the standings and the
# medal table of any skill, recomputed by hand from each competitor's marks and status.
# Deliberately not shaped like ranking's code: ranks by counting, the scale by exact
# comparison with the root, every rounding by floor.

ENTRANTS = ("competing", "withdrawn")
POINTS = {"gold": 4, "silver": 3, "bronze": 2, "excellence": 1}


@dataclass(frozen=True)
class Entry:
    """One competitor as the recomputation needs them."""

    competitor: str
    member: str
    status: str
    team: tuple[str, ...]
    total: Fraction
    counted: int


def entry_by_hand(
    skill: Skill,
    competitor: Competitor,
    measured: dict[tuple[str, str], Fraction],
    scores: dict[tuple[str, str], dict[str, int]],
) -> Entry:
    """The competitor's total and counted aspects from the marks that stand (docs/rules.md,
    "Marking"), for any skill."""
    total, counted = Fraction(0), 0
    rules = skill.rules
    for criterion in skill.criteria:
        for aspect in criterion.aspects:
            key = (competitor.id, aspect.id)
            if aspect.kind == "measurement" and key in measured:
                total, counted = total + measured[key], counted + 1
            elif aspect.kind == "judgement" and scores.get(key):
                given = list(scores[key].values())
                agreed = max(given) - min(given) <= rules.max_judge_spread
                if len(given) >= rules.judges_per_aspect and agreed:
                    top = Fraction(str(aspect.max_mark))
                    total += Fraction(sum(given), 3 * len(given)) * top
                    counted += 1
    return Entry(
        competitor.id,
        competitor.member,
        competitor.status,
        competitor.team,
        total,
        counted,
    )


def cents(value: Fraction) -> Fraction:
    """Rounded half away from zero to hundredths, kept as a Fraction."""
    hundredths = math.floor(abs(value) * 100 + Fraction(1, 2))
    return Fraction(hundredths if value >= 0 else -hundredths, 100)


def half_away(value: Fraction) -> int:
    whole = math.floor(abs(value) + Fraction(1, 2))
    return whole if value >= 0 else -whole


def _versus_root(gap: Fraction, variance: Fraction, bound: Fraction) -> int:
    """The sign of gap / sqrt(variance) - bound, exactly (variance > 0)."""
    if gap >= 0 and bound <= 0:
        return 0 if gap == 0 and bound == 0 else 1
    if gap <= 0 and bound >= 0:
        return -1
    left, right = gap * gap, bound * bound * variance
    if gap > 0:
        return (left > right) - (left < right)
    return (right > left) - (right < left)


def scale_by_hand(total: Fraction, pool: list[Fraction], center: Fraction, spread: Fraction) -> int:
    """center + spread * (total - median) / sd of the pool, rounded half away from zero."""
    if len(pool) < 2 or statistics.pvariance(pool) == 0:
        return half_away(center)
    variance = statistics.pvariance(pool)
    gap = spread * (total - statistics.median(pool))
    guess = round(float(center) + float(gap) / math.sqrt(variance))
    if _versus_root(gap, variance, -center) >= 0:
        # The value v is >= 0: the largest n with v >= n - 1/2.
        def fits(n: int) -> bool:
            return _versus_root(gap, variance, n - Fraction(1, 2) - center) >= 0
    else:
        # v < 0: -k for the largest k with -v >= k - 1/2, that is v <= 1/2 - k.
        guess = -guess

        def fits(n: int) -> bool:
            return _versus_root(gap, variance, Fraction(1, 2) - n - center) <= 0

    while not fits(guess):
        guess -= 1
    while fits(guess + 1):
        guess += 1
    return guess if _versus_root(gap, variance, -center) >= 0 else -guess


def skill_by_hand(skill: Skill, entries: list[Entry]) -> list[dict[str, Any]]:
    """Each competitor's row (competitor, rank, total, scale, medal, status, team) in the
    board's order: ranked by rank then id, then non_competing by total then id, then absent
    by id."""
    rules = skill.rules
    ranked = [e for e in entries if e.status in ENTRANTS]
    rank = {e.competitor: 1 + sum(cents(o.total) > cents(e.total) for o in ranked) for e in ranked}
    pool = [e.total for e in ranked if e.counted]
    center, spread = Fraction(str(rules.scale_center)), Fraction(str(rules.scale_spread))
    scale = {
        e.competitor: scale_by_hand(e.total, pool, center, spread)
        for e in entries
        if e.counted and e.status != "absent"
    }
    medal = _medals_by_hand(rules, ranked, rank, scale)
    groups = {"competing": 0, "withdrawn": 0, "non_competing": 1, "absent": 2}

    def place(e: Entry) -> tuple[int, Fraction, str]:
        if e.status == "absent":
            return (2, Fraction(0), e.competitor)
        return (groups[e.status], -cents(e.total), e.competitor)

    return [
        {
            "competitor": e.competitor,
            "rank": rank.get(e.competitor),
            "total": cents(e.total),
            "scale": scale.get(e.competitor),
            "medal": medal.get(e.competitor),
            "status": e.status,
            "team": e.team,
        }
        for e in sorted(entries, key=place)
    ]


def _medals_by_hand(
    rules: Rules, ranked: list[Entry], rank: dict[str, int], scale: dict[str, int]
) -> dict[str, str]:
    placed = sorted(
        (e for e in ranked if e.counted), key=lambda e: (rank[e.competitor], e.competitor)
    )
    band = Fraction(str(rules.medal_tie_band))
    minimum = rules.medal_min_entrants
    offered = {
        medal
        for medal, need in (
            ("gold", minimum.gold),
            ("silver", minimum.silver),
            ("bronze", minimum.bronze),
        )
        if len(ranked) >= need
    }
    medal: dict[str, str] = {}
    bands: list[int] = []
    for i, e in enumerate(placed):
        shares = band > 0 and i > 0 and placed[i - 1].total - e.total <= band
        bands.append(bands[-1] if shares else rank[e.competitor])
        if e.status != "competing":
            continue
        won = {1: "gold", 2: "silver", 3: "bronze"}.get(bands[-1])
        if won in offered:
            medal[e.competitor] = won
        elif scale[e.competitor] >= Fraction(str(rules.excellence_threshold)):
            medal[e.competitor] = "excellence"
    return medal


def medal_table_by_hand(members: list[str], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Per member: medals, points, entrants, averages; Best of Nation; best overall."""
    lines = {}
    for code in members:
        mine = [r for r in rows if r["member"] == code]
        count = {m: sum(r["medal"] == m for r in mine) for m in POINTS}
        points = sum(POINTS[m] * n for m, n in count.items())
        entrants = [r for r in mine if r["status"] in ENTRANTS]
        scales = [r["scale"] for r in entrants if r["scale"] is not None]
        lines[code] = {
            **count,
            "points": points,
            "entrants": len(entrants),
            "average_points": float(cents(Fraction(points, len(entrants)))) if entrants else None,
            "average_scale": float(cents(Fraction(sum(scales), len(scales)))) if scales else None,
        }
    order = sorted(
        members,
        key=lambda c: (
            -lines[c]["points"],
            -lines[c]["gold"],
            -lines[c]["silver"],
            -lines[c]["bronze"],
            c,
        ),
    )
    best = [r for r in rows if r["status"] == "competing" and r["scale"] is not None]
    nation = {}
    for code in members:
        theirs = [r for r in best if r["member"] == code]
        if theirs:
            top = max(r["scale"] for r in theirs)
            nation[code] = sorted(r["competitor"] for r in theirs if r["scale"] == top)
    overall = max((r["scale"] for r in best), default=None)
    return {
        "order": order,
        "lines": lines,
        "best_of_nation": nation,
        "best_overall": sorted(r["competitor"] for r in best if r["scale"] == overall),
    }
