"""What each aspect of a competitor counts, from the marks that stand (docs/rules.md,
"Marking"): a measurement counts its mark; a judgement panel counts once enough judges agree
closely enough, and is pending or disputed until then."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from services.ranking.arithmetic import exact
from shared.championship import PanelState, Skill

AspectState = PanelState


@dataclass
class Marks:
    """What stands for one skill: the latest measurement per (competitor, aspect), and each
    expert's latest judgement score per (competitor, aspect)."""

    measurements: dict[tuple[str, str], Fraction] = field(default_factory=dict)
    judgements: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class AspectResult:
    """An aspect with a mark or a score; aspects with neither are not listed at all."""

    state: AspectState
    mark: Fraction


def judgement_result(scores: Mapping[str, int], max_mark: Fraction, skill: Skill) -> AspectResult:
    state = skill.rules.panel_state(scores.values())
    if state != "counted":
        return AspectResult(state, Fraction(0))
    # The panel's mean of 0..3, as a share of the maximum mark, in one Fraction.
    return AspectResult(
        "counted",
        Fraction(sum(scores.values()) * max_mark.numerator, len(scores) * 3 * max_mark.denominator),
    )


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
