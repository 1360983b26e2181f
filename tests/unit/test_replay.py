"""Replay's folding of the log: the same result as applying each command live."""

from __future__ import annotations

from services.ranking.replay import Folded, fold
from shared.events import CriterionLocked, MarkRecorded, SignInRevoked, encoder
from shared.marks_hash import measurement_field, measurement_value
from shared.plumbing.clock import iso_now
from shared.plumbing.logstream import position
from tests.support.people import demo, judge_for

CHAMPIONSHIP = demo()
SKILL = CHAMPIONSHIP.skills[0]
COMPETITOR = CHAMPIONSHIP.index.competitors_of(SKILL.id)[0]
MEASURE = next(a for _, a in SKILL.aspects if a.kind == "measurement")
JUDGED = next(a for _, a in SKILL.aspects if a.kind == "judgement")


def test_reply_subjects_of_old_and_new_servers() -> None:
    assert position("$JS.ACK.PODIUM_COMMANDS.c1.1.42.40.1700000000000000000.7") == (42, 7)
    new = "$JS.ACK.hub.ACCHASH.PODIUM_COMMANDS.c1.1.42.40.1700000000000000000.7.xyz"
    assert position(new) == (42, 7)


def test_folding_keeps_the_latest_and_forgets_withdrawn_marks() -> None:
    judge = judge_for(CHAMPIONSHIP, COMPETITOR).id
    at = iso_now()
    log = [
        MarkRecorded("a", SKILL.id, COMPETITOR.id, MEASURE.id, judge, 1.0, at),
        MarkRecorded("b", SKILL.id, COMPETITOR.id, MEASURE.id, judge, 2.0, at),
        MarkRecorded("c", SKILL.id, COMPETITOR.id, JUDGED.id, judge, 3, at),
        MarkRecorded("d", SKILL.id, COMPETITOR.id, JUDGED.id, judge, None, at),
        CriterionLocked("e", SKILL.id, "A", "C-X", at),
        MarkRecorded("f", "another-skill", COMPETITOR.id, MEASURE.id, judge, 1.0, at),
    ]
    skills = {SKILL.id: Folded()}
    for seq, command in enumerate(log, start=1):  # the last is not this replica's skill
        fold(CHAMPIONSHIP, seq, encoder.encode(command), skills)
    state = skills[SKILL.id]
    assert state.marks == {measurement_field(COMPETITOR.id, MEASURE.id): measurement_value(2.0)}
    assert state.control.locked == frozenset({"A"})
    assert state.applied == 5


def test_revocations_change_no_state_but_move_the_applied_sequence() -> None:
    other = CHAMPIONSHIP.skills[1].id
    at = iso_now()
    skills = {SKILL.id: Folded(), other: Folded()}
    log = [
        SignInRevoked("r", SKILL.id, "E-X", "lost", "C-X", at),
        SignInRevoked("s", "elsewhere", "E-Y", "lost", "C-Y", at),  # not these replicas' skill
        SignInRevoked("t", "", "O-X", "stolen", "O-Y", at),  # an organizer: every skill
    ]
    fold(CHAMPIONSHIP, 1, encoder.encode(log[0]), skills)
    assert skills[SKILL.id] == Folded(applied=1) and skills[other] == Folded()
    fold(CHAMPIONSHIP, 2, encoder.encode(log[1]), skills)
    assert skills[SKILL.id].applied == 1 and skills[other].applied == 0
    fold(CHAMPIONSHIP, 3, encoder.encode(log[2]), skills)
    assert skills[SKILL.id] == skills[other] == Folded(applied=3)
