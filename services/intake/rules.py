"""The marking rules intake enforces (docs/rules.md, "Marking"), as pure functions: no I/O
here."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Annotated

import msgspec

from shared.championship import (
    JUDGEMENT_SCORES,
    Aspect,
    Championship,
    Competitor,
    Criterion,
    Expert,
)
from shared.control import Control, status_of
from shared.events import MarkRecorded

MarkId = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9._:-]{1,64}$")]


class MarkBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """`POST /api/marks`: the client chooses `id`, and retries with the same one."""

    id: MarkId
    competitor: str
    aspect: str
    value: float | None


class Refusal(msgspec.Struct, frozen=True):
    status: int
    title: str
    detail: str
    path: str = ""


def judge_mark(
    body: MarkBody,
    expert: Expert,
    championship: Championship,
    at: str,
    control: Callable[[str], Control] = lambda skill: Control(),
) -> Refusal | MarkRecorded:
    """Accept the mark as a `MarkRecorded`, or say which rule refuses it.

    `control(skill)` gives the skill's jury controls (its locks and the competitors'
    statuses) as the log has them.
    """
    index = championship.index
    if expert.role == "organizer":
        return Refusal(403, "Organizers do not mark", f"{expert.id} is an organizer")
    competitor = index.competitors.get(body.competitor)
    if competitor is None:
        return Refusal(
            404, "Unknown competitor", f"no competitor {body.competitor!r}", "competitor"
        )
    found = index.aspects.get((competitor.skill, body.aspect))
    if found is None:
        return Refusal(
            404,
            "Unknown aspect",
            f"skill {competitor.skill} has no aspect {body.aspect!r}",
            "aspect",
        )
    if competitor.skill != expert.skill:
        return Refusal(
            403,
            "Other skill",
            f"{expert.id} marks in {expert.skill}, {competitor.id} competes in {competitor.skill}",
        )
    skill = index.skills[competitor.skill]
    if competitor.member == expert.member and not skill.rules.allow_compatriot_marking:
        return Refusal(
            403,
            "Compatriot",
            f"{expert.id} and {competitor.id} are both from {expert.member}; "
            "experts do not mark their own member's competitors in this skill",
        )
    criterion, aspect = found
    refused = _closed(competitor, criterion, aspect, control(skill.id))
    if refused is not None:
        return refused
    if body.value is not None:
        problem = _value_problem(body.value, aspect.kind, aspect.max_mark)
        if problem:
            return Refusal(422, "Bad value", problem, "value")
    return MarkRecorded(
        id=body.id,
        skill=competitor.skill,
        competitor=competitor.id,
        aspect=aspect.id,
        expert=expert.id,
        value=body.value,
        at=at,
    )


def _closed(
    competitor: Competitor, criterion: Criterion, aspect: Aspect, jury: Control
) -> Refusal | None:
    """What the jury closed: an absent competitor, or a locked criterion or sub-criterion."""
    if status_of(jury, competitor) == "absent":
        # Nothing to mark for someone who did not start; a withdrawn competitor's work before
        # leaving is still marked.
        return Refusal(
            409,
            "Absent",
            f"{competitor.id} is absent (did not start): marks are refused until the chief "
            "expert or an organizer changes the status",
        )
    if jury.refuses(criterion.id, aspect.sub_criterion):
        closed = (
            f"criterion {criterion.id} ({criterion.name})"
            if criterion.id in jury.locked
            else f"sub-criterion {aspect.sub_criterion} of criterion {criterion.id}"
        )
        return Refusal(
            403, "Locked", f"{closed} of {competitor.skill} is locked by the chief expert"
        )
    return None


def _value_problem(value: float, kind: str, max_mark: float) -> str:
    if not math.isfinite(value):
        return "value must be a finite number"
    if kind == "judgement":
        if value not in JUDGEMENT_SCORES:
            return f"a judgement score is a whole number 0, 1, 2 or 3, not {value:g}"
        return ""
    if not 0 <= value <= max_mark:
        return f"a measurement mark for this aspect is between 0 and {max_mark:g}, not {value:g}"
    return ""


def same_mark(stored: MarkRecorded, retried: MarkRecorded) -> bool:
    """Whether a retry with a known id carries the same mark (the time may differ)."""
    return (stored.skill, stored.competitor, stored.aspect, stored.expert, stored.value) == (
        retried.skill,
        retried.competitor,
        retried.aspect,
        retried.expert,
        retried.value,
    )


def may_lock(expert: Expert, skill: str) -> Refusal | None:
    """Locks are the chief expert's alone."""
    if expert.role == "chief" and expert.skill == skill:
        return None
    return Refusal(403, "Chief expert only", f"only the chief expert of {skill} locks its criteria")


def may_steer(expert: Expert, skill: str) -> Refusal | None:
    """Visibility, the reveal and competitors' status: the skill's chief expert or an
    organizer."""
    if expert.role == "organizer" or (expert.role == "chief" and expert.skill == skill):
        return None
    return Refusal(
        403, "Jury only", f"only the chief expert of {skill} or an organizer may do this"
    )


def may_audit(expert: Expert, skill: str | None) -> Refusal | None:
    if expert.role == "organizer":
        return None
    if expert.role == "chief" and skill is not None and expert.skill == skill:
        return None
    where = f"of {skill} " if skill else ""
    return Refusal(403, "Jury only", f"the audit log is for the chief expert {where}and organizers")


def may_revoke(expert: Expert, person: Expert) -> Refusal | None:
    """A person's sign-in: an organizer, or the chief expert of that person's skill."""
    if expert.role == "organizer":
        return None
    if expert.role == "chief" and person.skill is not None and expert.skill == person.skill:
        return None
    whose = f"the chief expert of {person.skill} or an organizer" if person.skill else "organizers"
    return Refusal(403, "Jury only", f"only {whose} may revoke the sign-in of {person.id}")


def may_see_sessions(expert: Expert, skill: str | None) -> Refusal | None:
    """Sessions of a skill: its chief expert or an organizer; of every skill: organizers."""
    if expert.role == "organizer":
        return None
    if expert.role == "chief" and skill is not None and expert.skill == skill:
        return None
    if expert.role == "chief" and skill is None:
        detail = f"a chief expert sees the sessions of their own skill: ?skill={expert.skill}"
    elif skill is None:
        detail = "sessions are for chief experts and organizers"
    else:
        detail = f"the sessions of {skill} are for its chief expert and organizers"
    return Refusal(403, "Jury only", detail)
