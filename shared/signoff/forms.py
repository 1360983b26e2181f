"""Marking forms (docs/rules.md, "Sign-off"): what each form covers, its marks, its digest and
what it still misses. Pure: the fold of the log's commands into forms is `shared.signoff.fold`.

A form is one sub-criterion of a skill; the aspects of a criterion without sub-criteria make
one form named by the criterion. A form covers every competitor of the skill.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from functools import cache

import msgspec

from shared.championship import Aspect, Competitor, Rules, Skill
from shared.events import AspectRef

# Who is expected to have every mark of a form: absent and non-competing competitors are not.
EXPECTED = ("competing", "withdrawn")


class Form(msgspec.Struct, frozen=True):
    """One marking form of a skill's scheme."""

    id: str
    criterion: str
    name: str
    aspects: tuple[Aspect, ...]


class FormMark(msgspec.Struct, frozen=True, order=True):
    """One mark standing on a form: a measurement and the expert who entered it, or one judge's
    score. Ordered by competitor, aspect, expert: the canonical order of the digest."""

    competitor: str
    aspect: str
    expert: str
    value: float


@cache
def forms_of(skill: Skill) -> tuple[Form, ...]:
    """The skill's forms in scheme order: each criterion's sub-criteria as its aspects name
    them, and the aspects of a criterion without sub-criteria (or outside every one) as one
    form named by the criterion."""
    forms: list[Form] = []
    for criterion in skill.criteria:
        subs = {sub.id: sub.name for sub in criterion.sub_criteria}
        grouped: dict[str, list[Aspect]] = {}
        for aspect in criterion.aspects:
            key = aspect.sub_criterion if aspect.sub_criterion in subs else criterion.id
            grouped.setdefault(key, []).append(aspect)
        for key, aspects in grouped.items():
            name = subs.get(key, criterion.name)
            forms.append(Form(key, criterion.id, name, tuple(aspects)))
    return tuple(forms)


_canonical = msgspec.json.Encoder(order="sorted")


def digest(skill: str, form: str, marks: Iterable[FormMark]) -> str:
    """SHA-256 (hex) of the form's canonical content: the skill, the form, and each mark's
    competitor, aspect, expert and value, in that order, sorted. The only place it is
    computed: what a signer signs, what intake checks and what every service folds."""
    rows = [[m.competitor, m.aspect, m.expert, float(m.value)] for m in sorted(marks)]
    content = _canonical.encode({"skill": skill, "form": form, "marks": rows})
    return hashlib.sha256(content).hexdigest()


def counts(aspect: Aspect, rules: Rules, scores: list[float]) -> bool:
    """Whether an aspect's standing marks count (docs/rules.md, "Marking"): a measurement
    once entered; a judgement with enough judges, close enough together."""
    if aspect.kind == "measurement":
        return bool(scores)
    return rules.panel_state(scores) == "counted"


def missing(
    skill: Skill,
    form: Form,
    marks: Iterable[FormMark],
    competitors: Iterable[Competitor],
) -> tuple[AspectRef, ...]:
    """Every (competitor, aspect) of the form that does not count yet, for competitors whose
    marks are expected (`competitors` carry the statuses the jury gave them)."""
    standing: dict[tuple[str, str], list[float]] = {}
    for mark in marks:
        standing.setdefault((mark.competitor, mark.aspect), []).append(mark.value)
    return tuple(
        AspectRef(competitor.id, aspect.id)
        for competitor in competitors
        if competitor.status in EXPECTED
        for aspect in form.aspects
        if not counts(aspect, skill.rules, standing.get((competitor.id, aspect.id), []))
    )


def total(form: Form, rules: Rules, marks: Mapping[str, list[float]]) -> float:
    """One competitor's total on a form: the counted aspects' marks (a judgement's is the
    judges' mean over 3 of its max mark), by aspect id -> standing values."""
    found = 0.0
    for aspect in form.aspects:
        values = marks.get(aspect.id, [])
        if not counts(aspect, rules, values):
            continue
        if aspect.kind == "measurement":
            found += values[0]
        else:
            found += sum(values) / len(values) / 3 * aspect.max_mark
    return found
