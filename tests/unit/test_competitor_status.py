"""A competitor's status and team: in the championship file, in the jury's fold, and in the
marking rules intake applies."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from services.intake.rules import MarkBody, Refusal, judge_mark
from shared import control
from shared.championship import ChampionshipError, parse
from shared.events import MarkRecorded, StatusChanged, VisibilityChanged
from shared.plumbing.settings import DEMO_CHAMPIONSHIP_JSON
from tests.support.people import demo, judge_for

CHAMPIONSHIP = demo()
COMPETITOR = CHAMPIONSHIP.competitors[0]
SKILL = CHAMPIONSHIP.index.skills[COMPETITOR.skill]
MEASURE = next(a for _, a in SKILL.aspects if a.kind == "measurement")
JUDGE = judge_for(CHAMPIONSHIP, COMPETITOR)


def changed(status: str, competitor: str = COMPETITOR.id) -> StatusChanged:
    return StatusChanged("s1", SKILL.id, competitor, status, "why", "E", "t")  # type: ignore[arg-type]


def test_the_fold_keeps_the_latest_status_and_the_file_holds_for_the_rest() -> None:
    state = control.apply(control.Control(), changed("absent"))
    state = control.apply(state, VisibilityChanged("v", SKILL.id, "frozen", "E", "t"))
    state = control.apply(state, changed("withdrawn"))
    other = CHAMPIONSHIP.competitors[1]
    assert control.status_of(state, COMPETITOR) == "withdrawn"
    assert control.status_of(state, other) == "competing"
    assert [c.status for c in control.as_controlled(state, [COMPETITOR, other])] == [
        "withdrawn",
        "competing",
    ]
    # Stored in Redis and read back, the statuses survive; an old state has none.
    assert control.decoder.decode(control.encoder.encode(state)) == state
    assert control.decoder.decode(b'{"locked":[],"visibility":"live"}').statuses == {}


def mark(value: float | None) -> MarkBody:
    return MarkBody(id="m1", competitor=COMPETITOR.id, aspect=MEASURE.id, value=value)


def with_status(status: str) -> Callable[[str], control.Control]:
    """The jury's controls of every skill, with COMPETITOR given `status`."""
    jury = control.apply(control.Control(), changed(status))
    return lambda skill: jury


@pytest.mark.parametrize("value", [1.0, None])
def test_marks_for_an_absent_competitor_are_refused_with_409(value: float | None) -> None:
    verdict = judge_mark(mark(value), JUDGE, CHAMPIONSHIP, "t", with_status("absent"))
    assert isinstance(verdict, Refusal)
    assert (verdict.status, verdict.title) == (409, "Absent")
    assert COMPETITOR.id in verdict.detail and "changes the status" in verdict.detail


@pytest.mark.parametrize("status", ["withdrawn", "non_competing", "competing"])
def test_marks_for_anyone_else_are_accepted(status: str) -> None:
    verdict = judge_mark(mark(1.0), JUDGE, CHAMPIONSHIP, "t", with_status(status))
    assert isinstance(verdict, MarkRecorded)


def test_the_file_s_absent_status_refuses_marks_by_default() -> None:
    raw = demo_raw()
    raw["competitors"][0]["status"] = "absent"
    verdict = judge_mark(mark(1.0), JUDGE, parse(raw), "t")
    assert isinstance(verdict, Refusal) and verdict.status == 409


def demo_raw() -> dict[str, Any]:
    raw: dict[str, Any] = json.loads(DEMO_CHAMPIONSHIP_JSON.read_text())
    return raw


def test_statuses_teams_and_minimum_entrants_load_from_the_file() -> None:
    raw = demo_raw()
    raw["competitors"][0].update(status="non_competing", team=["A B", "C D"])
    raw["skills"][0]["rules"] = {"medal_min_entrants": {"bronze": 4}}
    championship = parse(raw)
    first = championship.competitors[0]
    assert (first.status, first.team) == ("non_competing", ("A B", "C D"))
    minimum = championship.skills[0].rules.medal_min_entrants
    assert (minimum.gold, minimum.silver, minimum.bronze) == (1, 1, 4)


def test_bad_statuses_teams_and_minimum_entrants_are_each_named() -> None:
    raw = demo_raw()
    raw["competitors"][0]["status"] = "injured"
    raw["competitors"][1]["team"] = ["A B", " ", "A B"]
    raw["competitors"][2]["team"] = "A B; C D"
    raw["skills"][0]["rules"] = {"medal_min_entrants": {"gold": -1, "platinum": 2}}
    with pytest.raises(ChampionshipError) as refused:
        parse(raw)
    problems = {p.path: p.message for p in refused.value.problems}
    assert "competing" in problems["competitors[0].status"]
    assert problems["competitors[2].team"].startswith("Expected `array`")
    assert problems["skills[0].rules.medal_min_entrants.gold"].startswith("Expected `int` >= 0")
    assert problems["skills[0].rules.medal_min_entrants.platinum"] == "unknown field"
    # Team members' names are checked once the types hold.
    raw["competitors"][0]["status"] = "absent"
    raw["competitors"][2]["team"] = []
    raw["skills"][0]["rules"] = {}
    with pytest.raises(ChampionshipError) as refused:
        parse(raw)
    problems = {p.path: p.message for p in refused.value.problems}
    assert problems == {
        "competitors[1].team[1]": "a team member's name is 1 to 200 characters",
        "competitors[1].team[2]": "'A B' is in the team twice",
    }
