"""The chief's judgement analysis (docs/rules.md, "Judges"): the worked example by hand, and
any small skill's marks against an independent recomputation (tests/support/judges.py)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

from shared import judges, marks_hash
from shared.championship import Competitor, Expert
from tests.support.judges import Marked, standing, table

SKILL = "S1"
# The worked example of docs/rules.md: three judges of three members, two competitors of two
# others, two judgement aspects; E2's score of C2 on X was withdrawn.
EXAMPLE_COMPETITORS = [
    Competitor("C1", "Aru", "AZE", SKILL),
    Competitor("C2", "Bora", "TUR", SKILL),
]
EXAMPLE_EXPERTS = [
    Expert("E1", "Expert One", "KAZ", "expert", SKILL),
    Expert("E2", "Expert Two", "RUS", "chief", SKILL),
    Expert("E3", "Expert Three", "UZB", "expert", SKILL),
    Expert("O1", "Organizer", "KAZ", "organizer"),
]
EXAMPLE_MARKS = [
    Marked("C1", "X", "E1", 3),
    Marked("C1", "X", "E2", 2),
    Marked("C1", "X", "E3", 2),
    Marked("C1", "Y", "E1", 2),
    Marked("C1", "Y", "E2", 2),
    Marked("C1", "Y", "E3", 1),
    Marked("C2", "X", "E1", 3),
    Marked("C2", "X", "E2", 2),
    Marked("C2", "X", "E3", 1),
    Marked("C2", "X", "E2", None),
    Marked("C2", "Y", "E1", 3),
    Marked("C2", "Y", "E2", 2),
    Marked("C2", "Y", "E3", 2),
]


def computed(
    competitors: list[Competitor], experts: list[Expert], marks: list[Marked]
) -> list[dict[str, Any]]:
    """shared.judges on the scores that stand, as the API answers it."""
    scores: dict[tuple[str, str], dict[str, int]] = {}
    for (competitor, aspect, expert), score in standing(marks).items():
        scores.setdefault((competitor, aspect), {})[expert] = score
    found = judges.judges(SKILL, competitors, experts, scores, applied=7)
    assert found.skill == SKILL and found.applied == 7
    rows: list[dict[str, Any]] = msgspec.to_builtins(found.judges)
    return rows


def test_the_worked_example_of_the_rules_by_hand() -> None:
    rows = computed(EXAMPLE_COMPETITORS, EXAMPLE_EXPERTS, EXAMPLE_MARKS)
    by_hand = [
        # d: +1, +1/2, +2 (C2 X, beside E3 alone), +1
        ("E1", 4, 2.75, 1.125, 1.125, 1, {"AZE": 0.75, "TUR": 1.5}, True),
        # d: -1/2, -1, -2, -1/2
        ("E3", 4, 1.5, -1.0, 1.0, 1, {"AZE": -0.75, "TUR": -1.25}, True),
        # d: -1/2, +1/2, -1/2: the withdrawn score is not one of them
        ("E2", 3, 2.0, -0.167, 0.5, 0, {"AZE": 0.0, "TUR": -0.5}, True),
    ]
    assert [
        (
            r["expert"],
            r["scores"],
            r["mean_score"],
            r["deviation"],
            r["abs_deviation"],
            r["far"],
            r["by_member"],
            r["flagged"],
        )
        for r in rows
    ] == by_hand
    assert all(r["compatriot_scores"] == 0 for r in rows)


def test_a_lone_score_has_no_deviation_and_sorts_last() -> None:
    marks = [Marked("C1", "X", "E1", 2), Marked("C2", "X", "E2", 3), Marked("C2", "X", "E3", 2)]
    rows = computed(EXAMPLE_COMPETITORS, EXAMPLE_EXPERTS, marks)
    assert [r["expert"] for r in rows] == ["E2", "E3", "E1"]
    assert rows[2]["deviation"] is None and rows[2]["abs_deviation"] is None
    assert rows[2]["by_member"] == {} and rows[2]["far"] == 0 and not rows[2]["flagged"]


def test_scores_on_the_experts_own_members_competitors_are_counted() -> None:
    experts = [
        Expert("E1", "One", "AZE", "expert", SKILL),
        Expert("E2", "Two", "TUR", "expert", SKILL),
    ]
    marks = [Marked("C1", "X", "E1", 3), Marked("C1", "X", "E2", 3), Marked("C2", "X", "E2", 1)]
    rows = {r["expert"]: r for r in computed(EXAMPLE_COMPETITORS, experts, marks)}
    assert rows["E1"]["compatriot_scores"] == 1
    assert rows["E2"]["compatriot_scores"] == 1 and rows["E2"]["scores"] == 2


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Fraction(1, 2000), 0.001),
        (Fraction(-1, 2000), -0.001),
        (Fraction(2, 3), 0.667),
        (Fraction(-1, 6), -0.167),
        (Fraction(-1, 3000), 0.0),
        (Fraction(2345, 1000), 2.345),
    ],
)
def test_three_decimals_half_away_from_zero(value: Fraction, shown: float) -> None:
    assert judges.rounded(value) == shown


MEMBERS = ("AZE", "KAZ", "TUR")
# Four of the skill, and one of another skill, whose scores do not count.
COMPETITORS = [
    *(Competitor(f"C{i}", f"C {i}", MEMBERS[i % 3], SKILL) for i in range(4)),
    Competitor("D1", "Elsewhere", "AZE", "S2"),
]
# Five of the skill (so panels of up to five), and one of another skill.
EXPERTS = [
    *(Expert(f"E{i}", f"E {i}", MEMBERS[i % 3], "expert", SKILL) for i in range(5)),
    Expert("X1", "Elsewhere", "AZE", "expert", "S2"),
]
ASPECTS = ("A1", "A2")


@st.composite
def marks_strategy(draw: st.DrawFn) -> list[Marked]:
    # Half the skills' judges stay within one point of each other, so that judges flagged by
    # their mean distance alone (none of their scores far) come up too.
    spread = draw(st.sampled_from([1, 3]))
    low = draw(st.integers(0, 3 - spread))
    mark = st.builds(
        Marked,
        st.sampled_from([c.id for c in COMPETITORS]),
        st.sampled_from(ASPECTS),
        st.sampled_from([e.id for e in EXPERTS]),
        st.one_of(st.none(), st.integers(low, low + spread)),
    )
    return draw(st.lists(mark, min_size=draw(st.integers(0, 40)), max_size=60))


def mismatch(marks: list[Marked]) -> bool:
    return computed(COMPETITORS, EXPERTS, marks) != table(SKILL, COMPETITORS, EXPERTS, marks)


@given(marks_strategy())
@settings(max_examples=200, deadline=None)
def test_any_marks_give_the_table_of_the_independent_recomputation(marks: list[Marked]) -> None:
    assert computed(COMPETITORS, EXPERTS, marks) == table(SKILL, COMPETITORS, EXPERTS, marks)


def _truncated(value: Fraction) -> float:
    return int(value * 1000) / 1000


@pytest.mark.parametrize(
    ("name", "planted"),
    [
        ("rounded", _truncated),
        ("FAR", 3),
        ("FLAGGED_ABS_DEVIATION", 0.25),
    ],
)
def test_the_recomputation_catches_a_planted_bug(
    name: str, planted: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each bug planted in shared.judges makes the property above find a counterexample."""
    monkeypatch.setattr(judges, name, planted)
    found = find(
        marks_strategy(),
        mismatch,
        settings=settings(
            max_examples=1000,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            # Found is enough: the smallest example is not needed here.
            phases=[Phase.generate],
        ),
    )
    assert found


def test_the_hash_gives_its_judgement_scores_and_leaves_measurements_out() -> None:
    raw = {
        marks_hash.judgement_field("C1", "X", "E1").encode(): marks_hash.judgement_value(
            3
        ).encode(),
        marks_hash.judgement_field("C1", "X", "E2").encode(): b"0",
        marks_hash.measurement_field("C1", "M").encode(): marks_hash.measurement_value(
            2.5
        ).encode(),
    }
    assert marks_hash.judgements_of(raw) == {("C1", "X"): {"E1": 3, "E2": 0}}


def test_the_export_has_a_column_per_member_in_the_tables_order() -> None:
    from services.tools.log.judges import judge_lines
    from services.tools.log.sheets import columns

    scores: dict[tuple[str, str], dict[str, int]] = {}
    for (competitor, aspect, expert), score in standing(EXAMPLE_MARKS).items():
        scores.setdefault((competitor, aspect), {})[expert] = score
    lines = judge_lines(judges.judges(SKILL, EXAMPLE_COMPETITORS, EXAMPLE_EXPERTS, scores))
    assert columns(type(lines[0]))[-3:] == ("flagged", "by_member AZE", "by_member TUR")
    assert [msgspec.structs.astuple(line)[1] for line in lines] == ["E1", "E3", "E2"]
    assert msgspec.structs.astuple(lines[2])[-2:] == (0.0, -0.5)
