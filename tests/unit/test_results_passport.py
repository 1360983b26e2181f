"""The skills passport: each criterion's maximum, the median of the skill's `competing`
competitors on it, and the side of it a competitor stands on, worked out by hand."""

from __future__ import annotations

from services.tools.results.passport import CriterionLine, maxima, medians, passport, side
from tests.support.results import ROBOTS, row, small

SKILL = small().index.skills["robots"]


def test_a_criterion_s_maximum_is_its_aspects_maxima() -> None:
    assert maxima(SKILL) == {"A": 40.0, "B": 60.0}


def test_the_median_is_over_competing_competitors_only() -> None:
    # Competing: A 38, 30, 20 -> 30; B 50.5, 52, 40 -> 50.5. TR-1 (non-competing, A 35,
    # B 10) would move both if it counted: A to 32.5, B to 45.25.
    assert medians(SKILL, ROBOTS) == {"A": 30.0, "B": 50.5}


def test_an_even_count_takes_the_mean_of_the_middle_two_and_none_without_competitors() -> None:
    four = (*ROBOTS[:3], row(4, "X", "X Y", "KZ", {"A": 25.0, "B": 41.25}))
    # A: 20, 25, 30, 38 -> 27.5; B: 40, 41.25, 50.5, 52 -> 45.875, shown 45.88.
    assert medians(SKILL, four) == {"A": 27.5, "B": 45.88}
    assert medians(SKILL, ROBOTS[3:]) == {"A": None, "B": None}


def test_above_below_and_at_the_median_as_the_page_shows_them() -> None:
    assert side(30.004, 30.0) == "at"
    assert side(30.01, 30.0) == "above"
    assert side(29.99, 30.0) == "below"
    assert side(12.0, None) is None


def test_a_passport_lists_every_criterion_with_its_mark_maximum_median_and_side() -> None:
    middles = medians(SKILL, ROBOTS)
    gold, silver, bronze, outside = (passport(SKILL, r, middles) for r in ROBOTS)
    assert gold == (
        CriterionLine("A", "Design", 38.0, 40.0, 30.0, "above"),
        CriterionLine("B", "Build <fast>", 50.5, 60.0, 50.5, "at"),
    )
    assert [(line.mark, line.side) for line in silver] == [(30.0, "at"), (52.0, "above")]
    assert [line.side for line in bronze] == ["below", "below"]
    # Out of competition: compared with the median all the same.
    assert [line.side for line in outside] == ["above", "below"]


def test_a_criterion_without_a_mark_counts_zero() -> None:
    empty = row(None, "Y", "Y Z", "HU", {}, status="absent")
    assert [line.mark for line in passport(SKILL, empty, medians(SKILL, ROBOTS))] == [0.0, 0.0]
