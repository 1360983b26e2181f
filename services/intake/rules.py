"""The marking rules intake enforces (docs/rules.md), as pure functions: no I/O here."""

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

# `(?!\n)`: Python's `$` (msgspec's) also matches before a last newline, ECMAScript's (the
# document's) does not; an id never holds one, as it goes into a NATS subject.
MarkId = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9._:-]{1,64}$(?!\n)")]


class MarkBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """`POST /api/marks`: the client chooses `id`, and retries with the same one."""

    id: MarkId
    competitor: str
    aspect: str
    value: float | None


class Refusal(msgspec.Struct, frozen=True):
    """Why a rule refuses: `title` and `detail` for people, `code` for programs and metrics."""

    status: int
    title: str
    detail: str
    code: str
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
    if expert.role == "organizer":
        return Refusal(
            403, "Organizers do not mark", f"{expert.id} is an organizer", "organizers_do_not_mark"
        )
    found = _marked(body, championship)
    if isinstance(found, Refusal):
        return found
    competitor, criterion, aspect = found
    refusal = (
        _may_mark(expert, competitor, championship)
        or _closed(competitor, criterion, aspect, control(competitor.skill))
        or _value_refusal(body.value, aspect)
    )
    if refusal is not None:
        return refusal
    return MarkRecorded(
        id=body.id,
        skill=competitor.skill,
        competitor=competitor.id,
        aspect=aspect.id,
        expert=expert.id,
        value=body.value,
        at=at,
    )


def _marked(
    body: MarkBody, championship: Championship
) -> Refusal | tuple[Competitor, Criterion, Aspect]:
    """The competitor the mark is for, and the aspect it marks with its criterion."""
    index = championship.index
    competitor = index.competitors.get(body.competitor)
    if competitor is None:
        return Refusal(
            404,
            "Unknown competitor",
            f"no competitor {body.competitor!r}",
            "unknown_competitor",
            "competitor",
        )
    found = index.aspects.get((competitor.skill, body.aspect))
    if found is None:
        return Refusal(
            404,
            "Unknown aspect",
            f"skill {competitor.skill} has no aspect {body.aspect!r}",
            "unknown_aspect",
            "aspect",
        )
    criterion, aspect = found
    return competitor, criterion, aspect


def _may_mark(expert: Expert, competitor: Competitor, championship: Championship) -> Refusal | None:
    """Experts mark in their own skill, and their compatriots only where the skill allows."""
    if competitor.skill != expert.skill:
        return Refusal(
            403,
            "Other skill",
            f"{expert.id} marks in {expert.skill}, {competitor.id} competes in {competitor.skill}",
            "other_skill",
        )
    skill = championship.index.skills[competitor.skill]
    if competitor.member == expert.member and not skill.rules.allow_compatriot_marking:
        return Refusal(
            403,
            "Compatriot",
            f"{expert.id} and {competitor.id} are both from {expert.member}; "
            "experts do not mark their own member's competitors in this skill",
            "compatriot",
        )
    return None


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
            "absent",
        )
    if jury.refuses(criterion.id, aspect.sub_criterion):
        closed = (
            f"criterion {criterion.id} ({criterion.name})"
            if criterion.id in jury.locked
            else f"sub-criterion {aspect.sub_criterion} of criterion {criterion.id}"
        )
        detail = f"{closed} of {competitor.skill} is locked by the chief expert"
        return Refusal(403, "Locked", detail, "locked")
    return None


def _value_refusal(value: float | None, aspect: Aspect) -> Refusal | None:
    """A withdrawal (None) has no value to check."""
    if value is None:
        return None
    problem = _value_problem(value, aspect.kind, aspect.max_mark)
    return Refusal(422, "Bad value", problem, "bad_value", "value") if problem else None


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
    detail = f"only the chief expert of {skill} locks its criteria"
    return Refusal(403, "Chief expert only", detail, "chief_expert_only")


def may_steer(expert: Expert, skill: str) -> Refusal | None:
    """Visibility and the reveal: the skill's chief expert or an organizer."""
    if expert.role == "organizer" or (expert.role == "chief" and expert.skill == skill):
        return None
    detail = f"only the chief expert of {skill} or an organizer may do this"
    return Refusal(403, "Jury only", detail, "jury_only")


def may_see_forms(expert: Expert, skill: str) -> Refusal | None:
    """A skill's forms: its experts and chief expert, and organizers."""
    if expert.role == "organizer" or expert.skill == skill:
        return None
    detail = f"the forms of {skill} are for its experts, its chief expert and organizers"
    return Refusal(403, "Not your skill", detail, "other_skill")


def may_audit(expert: Expert, skill: str | None) -> Refusal | None:
    if expert.role == "organizer":
        return None
    if expert.role == "chief" and skill is not None and expert.skill == skill:
        return None
    where = f"of {skill} " if skill else ""
    detail = f"the audit log is for the chief expert {where}and organizers"
    return Refusal(403, "Jury only", detail, "jury_only")


def may_revoke(expert: Expert, person: Expert) -> Refusal | None:
    """A person's sign-in: an organizer, or the chief expert of that person's skill."""
    if expert.role == "organizer":
        return None
    if expert.role == "chief" and person.skill is not None and expert.skill == person.skill:
        return None
    whose = f"the chief expert of {person.skill} or an organizer" if person.skill else "organizers"
    detail = f"only {whose} may revoke the sign-in of {person.id}"
    return Refusal(403, "Jury only", detail, "jury_only")


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
    return Refusal(403, "Jury only", detail, "jury_only")
