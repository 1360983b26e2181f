"""What a command does to a skill, as pure functions: the field of the marks hash a mark writes,
the marks read back from those fields, the standings they make, and the skills a command
without standings concerns. The live path (`handlers`) and the replay (`replay`) both use
them, so the two cannot disagree.
"""

from __future__ import annotations

from collections.abc import Collection

from services.ranking import rules
from services.ranking.rules import Marks, exact
from shared import control
from shared.championship import Championship
from shared.events import FormCommand, MarkRecorded, SignInRevoked
from shared.marks_hash import (
    judgement_field,
    judgement_value,
    measurement_field,
    measurement_of,
    measurement_value,
    parse_field,
    score_of,
)


def entry_of(championship: Championship, mark: MarkRecorded) -> tuple[str, str | None]:
    """The field of the skill's marks hash that this mark sets, and its value (None deletes).

    A measurement has one field per (competitor, aspect): the latest stands, whoever entered
    it. A judgement has one per expert: each expert's latest score stands.
    """
    _, aspect = championship.index.aspects[(mark.skill, mark.aspect)]
    if aspect.kind == "measurement":
        value = None if mark.value is None else measurement_value(mark.value)
        return measurement_field(mark.competitor, mark.aspect), value
    value = None if mark.value is None else judgement_value(mark.value)
    return judgement_field(mark.competitor, mark.aspect, mark.expert), value


def standings_of(
    championship: Championship, skill_id: str, marks: rules.Marks, jury: control.Control
) -> rules.Result:
    """A skill's standings from its marks, with the statuses the jury gave its competitors."""
    skill = championship.index.skills[skill_id]
    competitors = control.as_controlled(jury, championship.index.competitors_of(skill_id))
    return rules.standings(skill, competitors, marks)


def concerned(command: SignInRevoked | FormCommand, skills: Collection[str]) -> list[str]:
    """The skills among `skills` whose log position a command that changes no standings
    moves: its own, or every one for a command of the whole championship (no skill)."""
    if not command.skill:
        return list(skills)
    return [command.skill] if command.skill in skills else []


def marks_of(fields: dict[str, str]) -> Marks:
    """The marks that stand, from the fields of a skill's marks hash."""
    marks = Marks()
    for field, value in fields.items():
        set_field(marks, field, value)
    return marks


def set_field(marks: Marks, field: str, value: str | None) -> None:
    """What writing `field` (None: deleting it) in the marks hash does to the marks."""
    competitor, aspect, expert = parse_field(field)
    if expert is None:
        if value is None:
            marks.measurements.pop((competitor, aspect), None)
        else:
            marks.measurements[(competitor, aspect)] = exact(measurement_of(value))
        return
    scores = marks.judgements.setdefault((competitor, aspect), {})
    if value is None:
        scores.pop(expert, None)
    else:
        scores[expert] = score_of(value)
    if not scores:
        # As read from Redis: an aspect without scores has no entry at all.
        del marks.judgements[(competitor, aspect)]
