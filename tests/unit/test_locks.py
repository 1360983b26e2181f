"""Locks by criterion and by sub-criterion (CIS signs off one sub-criterion's form at a time):
the one fold of the jury's commands, old logs, and the marks intake refuses."""

from __future__ import annotations

import msgspec

from services.intake.rules import MarkBody, Refusal, judge_mark
from shared.control import Control, apply, decoder
from shared.events import CriterionLocked, CriterionUnlocked, MarkRecorded, command_decoder
from tests.support.people import demo, judge_for

CHAMPIONSHIP = demo()
SKILL = CHAMPIONSHIP.index.skills["mobile-robotics"]
COMPETITOR = CHAMPIONSHIP.index.competitors_of(SKILL.id)[0]
JUDGE = judge_for(CHAMPIONSHIP, COMPETITOR)
CRITERION = SKILL.criteria[0]
FIRST, SECOND = CRITERION.sub_criteria[:2]
IN_FIRST = next(a for a in CRITERION.aspects if a.sub_criterion == FIRST.id)
IN_SECOND = next(a for a in CRITERION.aspects if a.sub_criterion == SECOND.id)


def test_an_old_lock_without_a_sub_criterion_still_locks_its_criterion() -> None:
    old = b'{"type":"lock","id":"j1","skill":"s","criterion":"A","expert":"C","at":"t"}'
    command = command_decoder.decode(old)
    assert isinstance(command, CriterionLocked) and command.sub_criterion is None
    assert apply(Control(), command) == Control(locked=frozenset({"A"}))
    stored_before = b'{"locked":["A"],"visibility":"frozen","revealed":2}'
    assert decoder.decode(stored_before).locked_sub_criteria == frozenset()


def test_sub_criteria_and_criteria_are_locked_and_unlocked_each_on_their_own() -> None:
    commands: list[CriterionLocked | CriterionUnlocked] = [
        CriterionLocked("1", SKILL.id, "A", "C", "t", "A1"),
        CriterionLocked("2", SKILL.id, "B", "C", "t"),
        CriterionLocked("3", SKILL.id, "A", "C", "t", "A2"),
        CriterionUnlocked("4", SKILL.id, "A", "C", "signed off too early", "t", "A1"),
    ]
    control = Control()
    for command in commands:
        control = apply(control, command)
    assert control.locked == frozenset({"B"})
    assert control.locked_sub_criteria == frozenset({"A2"})
    assert control.refuses("A", "A2") and control.refuses("B", "B1")
    assert not control.refuses("A", "A1")
    assert CriterionLocked("1", "s", "A", "C", "t", "A1") == command_decoder.decode(
        msgspec.json.encode(CriterionLocked("1", "s", "A", "C", "t", "A1"))
    )


def verdict(aspect: str, control: Control) -> Refusal | MarkRecorded:
    body = MarkBody(id="m", competitor=COMPETITOR.id, aspect=aspect, value=1)
    return judge_mark(body, JUDGE, CHAMPIONSHIP, "t", lambda skill: control)


def test_a_locked_sub_criterion_refuses_its_marks_and_no_other() -> None:
    locked = Control(locked_sub_criteria=frozenset({FIRST.id}))
    refused = verdict(IN_FIRST.id, locked)
    assert isinstance(refused, Refusal) and (refused.status, refused.title) == (403, "Locked")
    assert f"sub-criterion {FIRST.id} of criterion {CRITERION.id}" in refused.detail
    assert isinstance(verdict(IN_SECOND.id, locked), MarkRecorded)
    whole = verdict(IN_SECOND.id, Control(locked=frozenset({CRITERION.id})))
    assert isinstance(whole, Refusal) and f"criterion {CRITERION.id} (" in whole.detail
