"""An independent recomputation of the standings from the audit log, for the tests.

Written from SPEC sections 3 and 4 alone, without ranking's code, so that ranking's results
can be checked against it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Any

from shared.championship import Aspect
from tests.support.people import demo

CHAMPIONSHIP = demo()


def aspect_of(skill: str, aspect: str) -> Aspect:
    return CHAMPIONSHIP.index.aspects[(skill, aspect)][1]


def totals_from_audit(lines: Iterable[dict[str, Any]]) -> dict[str, Fraction]:
    """Each competitor's total from the audit lines alone, by the marking rules (SPEC 3)."""
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
