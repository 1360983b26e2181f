"""docs/rules.md's standings as table tests: totals, ranks, progress, scale and medals."""

from __future__ import annotations

import statistics
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

from services.ranking.rules import (
    Marks,
    _tallies,
    exact,
    exact_sum,
    median,
    population_variance,
    ranks,
    rounded,
    scale_scores,
    standings,
)
from shared.championship import Aspect, Competitor, Criterion, Rules, Skill
from shared.events import StandingsRow


def skill(rules: Rules | None = None) -> Skill:
    return Skill(
        id="welding",
        name="Welding",
        rules=rules or Rules(),
        criteria=(
            Criterion(
                "A",
                "Fillet",
                (Aspect("A1", "measurement", 40.0), Aspect("A2", "judgement", 30.0)),
            ),
            Criterion("B", "Pipe", (Aspect("B1", "measurement", 30.0),)),
        ),
    )


def competitors(*ids: str) -> list[Competitor]:
    return [Competitor(i, f"Name {i}", i.split("-")[0], "welding") for i in ids]


def measured(**values: float) -> Marks:
    """Marks for aspect A1, keyed by competitor id with '_' for '-'."""
    marks = Marks()
    for key, value in values.items():
        marks.measurements[(key.replace("_", "-"), "A1")] = exact(value)
    return marks


def by_id(rows: tuple[StandingsRow, ...]) -> dict[str, StandingsRow]:
    return {row.competitor: row for row in rows}


def test_ranks_share_places_and_skip() -> None:
    assert ranks([rounded(Fraction(v)) for v in (90, 80, 80, 70)]) == [1, 2, 2, 4]


def test_totals_equal_after_rounding_share_a_rank_ordered_by_id() -> None:
    marks = measured(KZ_1=10.001, TR_1=10.004, AZ_1=12)
    result = standings(skill(), competitors("KZ-1", "TR-1", "AZ-1"), marks)
    assert [(r.competitor, r.rank) for r in result.rows] == [("AZ-1", 1), ("KZ-1", 2), ("TR-1", 2)]


def test_decimal_marks_add_exactly() -> None:
    marks = measured(KZ_1=0.1)
    marks.measurements[("KZ-1", "B1")] = exact(0.2)
    row = standings(skill(), competitors("KZ-1"), marks).rows[0]
    assert row.total == 0.3
    assert row.criteria == {"A": 0.1, "B": 0.2}


def test_judgement_counts_with_enough_close_scores() -> None:
    marks = Marks(judgements={("KZ-1", "A2"): {"E1": 2, "E2": 3, "E3": 2}})
    result = standings(skill(), competitors("KZ-1"), marks)
    assert result.rows[0].total == round(7 / 9 * 30, 2)
    assert result.pending == () and result.disputed == ()


def test_pending_and_disputed_panels_add_zero_and_are_listed() -> None:
    marks = Marks(
        judgements={
            ("KZ-1", "A2"): {"E1": 3, "E2": 3},
            ("TR-1", "A2"): {"E1": 0, "E2": 3, "E3": 3},
        }
    )
    result = standings(skill(), competitors("KZ-1", "TR-1"), marks)
    assert [r.total for r in result.rows] == [0.0, 0.0]
    assert [(p.competitor, p.aspect) for p in result.pending] == [("KZ-1", "A2")]
    assert [(d.competitor, d.aspect) for d in result.disputed] == [("TR-1", "A2")]


def test_progress_counts_counted_aspects() -> None:
    marks = measured(KZ_1=10)
    marks.measurements[("KZ-1", "B1")] = exact(5)
    result = standings(skill(), competitors("KZ-1", "TR-1"), marks)
    rows = by_id(result.rows)
    assert rows["KZ-1"].progress == round(2 / 3, 4)
    assert rows["TR-1"].progress == 0.0
    assert result.progress == round(2 / 6, 4)


def test_no_counted_aspect_means_no_scale_and_no_medal() -> None:
    result = standings(skill(), competitors("KZ-1", "TR-1"), measured(KZ_1=10))
    rows = by_id(result.rows)
    assert rows["TR-1"].scale is None and rows["TR-1"].medal is None
    assert rows["KZ-1"].scale == 700 and rows["KZ-1"].medal == "gold"


def test_scale_uses_median_and_population_sd() -> None:
    totals = {"a": Fraction(10), "b": Fraction(20), "c": Fraction(30), "d": Fraction(40)}
    # median 25, population sd sqrt(125) = 11.18: 700 + 50 * (10 - 25) / 11.18 = 632.9
    assert scale_scores(totals, skill()) == {"a": 633, "b": 678, "c": 722, "d": 767}
    assert median([Fraction(1), Fraction(2), Fraction(10)]) == 2


def test_scale_is_centre_when_all_equal_or_alone() -> None:
    assert scale_scores({"a": Fraction(5), "b": Fraction(5)}, skill()) == {"a": 700, "b": 700}
    assert scale_scores({"a": Fraction(5)}, skill()) == {"a": 700}


def test_scale_rounds_half_away_from_zero_up_to_the_threshold() -> None:
    # median 5, sd 2, spread 0.5: 699 + 0.5 * (7 - 5) / 2 = 699.5 -> 700; 698.5 -> 699.
    rules = Rules(scale_center=699, scale_spread=0.5, excellence_threshold=700)
    totals = {"a": Fraction(3), "b": Fraction(3), "c": Fraction(7), "d": Fraction(7)}
    assert scale_scores(totals, skill(rules)) == {"a": 699, "b": 699, "c": 700, "d": 700}
    assert rounded(Fraction(-1, 2), Decimal(1)) == -1
    assert rounded(Fraction(1, 200)) == Decimal("0.01")


def test_tied_golds_leave_no_silver_and_the_next_gets_bronze() -> None:
    marks = measured(KZ_1=30, TR_1=30, AZ_1=20, HU_1=10)
    result = standings(skill(), competitors("KZ-1", "TR-1", "AZ-1", "HU-1"), marks)
    medals = {r.competitor: (r.rank, r.medal) for r in result.rows}
    assert medals["KZ-1"] == (1, "gold") and medals["TR-1"] == (1, "gold")
    assert medals["AZ-1"] == (3, "bronze")
    assert medals["HU-1"][1] != "silver"


def test_tie_band_shares_the_medal_of_the_competitor_above() -> None:
    marks = measured(KZ_1=30, TR_1=29.5, AZ_1=20, HU_1=19.8, UZ_1=5)
    group = competitors("KZ-1", "TR-1", "AZ-1", "HU-1", "UZ-1")
    banded = by_id(standings(skill(Rules(medal_tie_band=0.5)), group, marks).rows)
    assert [banded[c].medal for c in ("KZ-1", "TR-1", "AZ-1", "HU-1")] == [
        "gold",
        "gold",
        "bronze",
        "bronze",
    ]
    plain = by_id(standings(skill(), group, marks).rows)
    assert plain["TR-1"].medal == "silver"


def test_excellence_for_scale_at_threshold_without_another_medal() -> None:
    # Seven competitors: the fourth is the median, so exactly 700, the threshold.
    marks = measured(KZ_1=40, TR_1=39, AZ_1=38, HU_1=37, UZ_1=10, KG_1=9, XX_1=8)
    group = competitors("KZ-1", "TR-1", "AZ-1", "HU-1", "UZ-1", "KG-1", "XX-1")
    rows = by_id(standings(skill(), group, marks).rows)
    assert rows["HU-1"].scale == 700
    assert rows["HU-1"].medal == "excellence"
    assert rows["UZ-1"].medal is None


def by_decimal(value: Fraction, step: Decimal) -> Decimal:
    """The rounding rule as Decimal states it, to hold the integer arithmetic to."""
    with localcontext() as ctx:
        ctx.prec = 80
        return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
            step, rounding=ROUND_HALF_UP
        )


def test_rounded_matches_decimal_to_the_exponent_and_the_sign_of_zero() -> None:
    values = [Fraction(n, d) for n in (0, 1, -1, 3, -3, 5, -5, 7, 201, -201) for d in (1, 2, 200)]
    values += [Fraction(-1, 1000), Fraction(2, 3), Fraction(-2, 3), Fraction(10**30 + 1, 3)]
    for value in values:
        for step in (Decimal("0.01"), Decimal(1), Decimal("0.010"), Decimal("1E+1")):
            got, want = rounded(value, step), by_decimal(value, step)
            assert (got, got.as_tuple()) == (want, want.as_tuple()), (value, step)
    assert repr(rounded(Fraction(3, 2))) == "Decimal('1.50')"
    assert rounded(Fraction(-1, 1000)).is_signed()


def test_exact_sum_and_population_variance_are_exact() -> None:
    values = [Fraction(1, 3), Fraction(7, 100), Fraction(-5, 2), Fraction(12), Fraction(1, 9)]
    assert exact_sum(values) == sum(values, Fraction(0))
    assert exact_sum([]) == 0
    assert population_variance(values) == statistics.pvariance(values)


def test_scale_rounds_negative_halves_away_from_zero() -> None:
    # median 5, sd 2, spread 1: 0.5 + (7 - 5) / 2 = 1.5 -> 2; 0.5 - 1 = -0.5 -> -1.
    rules = Rules(scale_center=0.5, scale_spread=1.0)
    totals = {"a": Fraction(3), "b": Fraction(7)}
    assert scale_scores(totals, skill(rules)) == {"a": -1, "b": 2}


def test_a_board_worked_from_kept_tallies_equals_one_worked_afresh() -> None:
    """Each competitor's tally is kept between boards: a changed mark, a changed status or
    another skill with the same id must each give the board worked out from nothing."""

    def afresh(of: Skill, who: list[Competitor], marks: Marks) -> tuple[StandingsRow, ...]:
        _tallies.clear()
        return standings(of, who, marks).rows

    welding, who = skill(), competitors("KZ-1", "TR-2", "AZ-3")
    marks = measured(KZ_1=30.0, TR_2=20.0, AZ_3=10.0)
    marks.judgements[("KZ-1", "A2")] = {"e1": 3, "e2": 2, "e3": 3}
    first = standings(welding, who, marks).rows
    assert first == afresh(welding, who, marks)

    marks.measurements[("AZ-3", "A1")] = exact(39.5)
    marks.judgements[("KZ-1", "A2")]["e2"] = 0
    assert standings(welding, who, marks).rows != first
    assert standings(welding, who, marks).rows == afresh(welding, who, marks)

    absent = [who[0], Competitor("TR-2", "Name TR-2", "TR", "welding", status="absent"), who[2]]
    assert standings(welding, absent, marks).rows == afresh(welding, absent, marks)

    heavier = Skill(
        id="welding",
        name="Welding",
        criteria=(Criterion("A", "Fillet", (Aspect("A1", "measurement", 80.0),)),),
    )
    standings(welding, who, marks)
    assert standings(heavier, who, marks).rows == afresh(heavier, who, marks)
