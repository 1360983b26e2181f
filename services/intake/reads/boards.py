"""What the marking page and the jury's panel read, shaped from ranking's projection and the
jury controls. Pure functions: no I/O here."""

from __future__ import annotations

from typing import Literal

import msgspec

from services.intake.projection import SkillMarks
from shared.championship import Championship, Competitor, Expert, Role, Skill
from shared.control import Control, status_of
from shared.events import Status, Visibility

PanelState = Literal["counted", "pending", "disputed"]


class Person(msgspec.Struct, frozen=True):
    """`GET /api/me`: who the token speaks for."""

    id: str
    name: str
    role: Role
    member: str
    skill: str | None


class MarkShown(msgspec.Struct, frozen=True):
    """A mark that stands: a measurement (whoever entered it) or this expert's own score."""

    competitor: str
    aspect: str
    value: float


class Panel(msgspec.Struct, frozen=True):
    """A judgement aspect with at least one score: how many judges, and whether it counts."""

    competitor: str
    aspect: str
    state: PanelState
    judges: int


class Sheet(msgspec.Struct, frozen=True):
    """`GET /api/me/marks`: the signed-in expert's marking sheet for their skill."""

    skill: str
    applied: int
    locked: list[str]
    visibility: Visibility
    competitors: list[str]
    marks: list[MarkShown]
    panels: list[Panel]
    locked_sub_criteria: list[str]
    # The version of ranking's standings the panels' states come from: it follows `applied`
    # by one flush, so a client (or a test) that needs the states of its latest marks waits
    # for it to reach their seq.
    version: int = 0


class Score(msgspec.Struct, frozen=True):
    expert: str
    name: str
    member: str
    score: int


class PanelScores(msgspec.Struct, frozen=True):
    competitor: str
    aspect: str
    scores: list[Score]


class Progress(msgspec.Struct, frozen=True):
    counted: int
    of: int


class BoardRow(msgspec.Struct, frozen=True):
    competitor: str
    name: str
    member: str
    rank: int | None
    total: float | None
    criteria: dict[str, Progress]
    status: Status = "competing"
    team: list[str] = []


class Board(msgspec.Struct, frozen=True):
    """`GET /api/skills/{skill}/board`: the jury's view of the skill's marking."""

    skill: str
    applied: int
    version: int
    locked: list[str]
    visibility: Visibility
    revealed: int
    criteria: dict[str, Progress]
    rows: list[BoardRow]
    pending: list[PanelScores]
    disputed: list[PanelScores]
    locked_sub_criteria: list[str]
    # Marking progress of each sub-criterion over all competitors, for its lock.
    sub_criteria: dict[str, Progress]


def person(expert: Expert) -> Person:
    return Person(expert.id, expert.name, expert.role, expert.member, expert.skill)


def markable(expert: Expert, skill: Skill, championship: Championship) -> list[Competitor]:
    """The skill's competitors this expert may mark (compatriots only where the skill allows)."""
    return [
        c
        for c in championship.index.competitors_of(skill.id)
        if skill.rules.allow_compatriot_marking or c.member != expert.member
    ]


def _panel_states(marks: SkillMarks) -> dict[tuple[str, str], PanelState]:
    """Ranking's verdict on each judgement panel, as its latest snapshot has it."""
    states: dict[tuple[str, str], PanelState] = {}
    if marks.standings is not None:
        for ref in marks.standings.pending:
            states[(ref.competitor, ref.aspect)] = "pending"
        for ref in marks.standings.disputed:
            states[(ref.competitor, ref.aspect)] = "disputed"
    return states


def sheet(
    expert: Expert, skill: Skill, marks: SkillMarks, control: Control, championship: Championship
) -> Sheet:
    allowed = [c.id for c in markable(expert, skill, championship)]
    shown = set(allowed)
    states = _panel_states(marks)
    measured = [
        MarkShown(c, a, value) for (c, a), value in marks.measurements.items() if c in shown
    ]
    judged = [
        MarkShown(c, a, scores[expert.id])
        for (c, a), scores in marks.judgements.items()
        if c in shown and expert.id in scores
    ]
    panels = [
        Panel(c, a, states.get((c, a), "counted"), len(scores))
        for (c, a), scores in marks.judgements.items()
        if c in shown and scores
    ]
    return Sheet(
        skill=skill.id,
        applied=marks.applied,
        locked=sorted(control.locked),
        visibility=control.visibility,
        competitors=allowed,
        marks=sorted(measured + judged, key=lambda m: (m.competitor, m.aspect)),
        panels=sorted(panels, key=lambda p: (p.competitor, p.aspect)),
        locked_sub_criteria=sorted(control.locked_sub_criteria),
        version=marks.standings.version if marks.standings is not None else 0,
    )


def _counted(
    marks: SkillMarks, states: dict[tuple[str, str], PanelState], key: tuple[str, str]
) -> bool:
    if key in marks.measurements:
        return True
    return bool(marks.judgements.get(key)) and key not in states


def _scores(marks: SkillMarks, key: tuple[str, str], championship: Championship) -> PanelScores:
    people = championship.index.experts
    scores = [
        Score(e, people[e].name if e in people else e, people[e].member if e in people else "", s)
        for e, s in sorted(marks.judgements.get(key, {}).items())
    ]
    return PanelScores(key[0], key[1], scores)


def board(skill: Skill, marks: SkillMarks, control: Control, championship: Championship) -> Board:
    states = _panel_states(marks)
    standing = {r.competitor: r for r in marks.standings.rows} if marks.standings else {}
    totals = {c.id: Progress(0, 0) for c in skill.criteria}
    subs = {s.id: Progress(0, 0) for c in skill.criteria for s in c.sub_criteria}
    rows = []
    for competitor in championship.index.competitors_of(skill.id):
        criteria = {}
        for criterion in skill.criteria:
            keys = [(competitor.id, a.id) for a in criterion.aspects]
            counted = sum(_counted(marks, states, key) for key in keys)
            criteria[criterion.id] = Progress(counted, len(keys))
            _add(totals, criterion.id, counted, len(keys))
            for aspect in criterion.aspects:
                if aspect.sub_criterion in subs:
                    done = _counted(marks, states, (competitor.id, aspect.id))
                    _add(subs, aspect.sub_criterion, int(done), 1)
        row = standing.get(competitor.id)
        rank, total = (row.rank, row.total) if row else (None, None)
        rows.append(
            BoardRow(
                competitor.id,
                competitor.name,
                competitor.member,
                rank,
                total,
                criteria,
                status_of(control, competitor),
                list(competitor.team),
            )
        )
    listed = sorted(states.items())
    return Board(
        skill=skill.id,
        applied=marks.applied,
        version=marks.standings.version if marks.standings else 0,
        locked=sorted(control.locked),
        visibility=control.visibility,
        revealed=control.revealed,
        criteria=totals,
        rows=rows,
        pending=[_scores(marks, key, championship) for key, s in listed if s == "pending"],
        disputed=[_scores(marks, key, championship) for key, s in listed if s == "disputed"],
        locked_sub_criteria=sorted(control.locked_sub_criteria),
        sub_criteria=subs,
    )


def _add(progress: dict[str, Progress], key: str, counted: int, of: int) -> None:
    before = progress[key]
    progress[key] = Progress(before.counted + counted, before.of + of)
