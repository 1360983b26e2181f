"""docs/rules.md's standings as properties: ranks, medals and scale hold for any small skill
and marks."""

from __future__ import annotations

import functools
import math
import statistics
from collections import defaultdict, deque
from collections.abc import Hashable, Mapping, Sequence
from fractions import Fraction
from typing import NamedTuple

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from services.ranking.rules import Marks, Result, exact, scale_scores, standings
from shared.championship import Aspect, AspectKind, Competitor, Criterion, Rules, Skill
from shared.events import Medal, StandingsRow
from tests.support.rows import total_of
from tests.support.strategies import rules

PODIUM: dict[int, Medal] = {1: "gold", 2: "silver", 3: "bronze"}
COMPETITORS = ("AZ-1", "AZ-2", "HU-1", "KG-1", "KZ-1", "KZ-2", "TR-1", "UZ-1")
EXPERTS = ("E1", "E2", "E3", "E4")
KINDS: tuple[AspectKind, ...] = ("measurement", "judgement")

bounded = settings(max_examples=100, deadline=None)


class Submission(NamedTuple):
    """One accepted mark as ranking applies it; `value` None is a withdrawal."""

    competitor: str
    aspect: str
    expert: str
    value: Fraction | None


RULES = rules(medals_by_rank_alone=True)
ASPECTS = st.lists(
    st.tuples(st.sampled_from(KINDS), st.sampled_from((1.0, 2.5, 10.0, 30.0, 36.0))),
    min_size=1,
    max_size=4,
).map(lambda drawn: [Aspect(f"X{i}", kind, mark) for i, (kind, mark) in enumerate(drawn)])


@st.composite
def skills(draw: st.DrawFn) -> Skill:
    """One to four aspects of either kind, split over one or two criteria."""
    aspects = draw(ASPECTS)
    cut = draw(st.integers(1, len(aspects)))
    criteria = [Criterion("A", "First", tuple(aspects[:cut]))]
    if aspects[cut:]:
        criteria.append(Criterion("B", "Second", tuple(aspects[cut:])))
    return Skill(id="welding", name="Welding", criteria=tuple(criteria), rules=draw(RULES))


def competitors(ids: Sequence[str]) -> list[Competitor]:
    return [Competitor(i, f"Name {i}", i.split("-")[0], "welding") for i in ids]


# Cached: building strategies anew for every example costs more than running the rules.
@functools.cache
def submissions_for(competitor: str, aspect: Aspect) -> st.SearchStrategy[Submission]:
    """A mark in range for the aspect's kind, by any expert. Zero and the maximum come often,
    so totals often tie."""
    if aspect.kind == "judgement":
        values = st.integers(0, 3).map(Fraction)
    else:
        top = int(aspect.max_mark * 100)
        values = (st.sampled_from((0, top)) | st.integers(0, top)).map(lambda c: Fraction(c, 100))
    return st.builds(
        Submission, st.just(competitor), st.just(aspect.id), st.sampled_from(EXPERTS), values
    )


@functools.cache
def withdrawals_for(competitor: str, aspects: tuple[str, ...]) -> st.SearchStrategy[Submission]:
    return st.builds(
        Submission,
        st.just(competitor),
        st.sampled_from(aspects),
        st.sampled_from(EXPERTS),
        st.none(),
    )


def competitor_submissions(competitor: str, skill: Skill) -> st.SearchStrategy[list[Submission]]:
    """Marks and withdrawals for one competitor, each withdrawal as likely as a mark for any
    one aspect."""
    aspects = [aspect for _, aspect in skill.aspects]
    one = st.one_of(
        *(submissions_for(competitor, aspect) for aspect in aspects),
        withdrawals_for(competitor, tuple(aspect.id for aspect in aspects)),
    )
    return st.lists(one, min_size=1, max_size=6)


class Case(NamedTuple):
    skill: Skill
    people: list[Competitor]
    submissions: list[Submission]


@st.composite
def cases(draw: st.DrawFn) -> Case:
    """A skill, up to seven competitors, and the submissions for them in log order. Each
    competitor's submissions come together: other orders are the arrival-order test's business."""
    skill = draw(skills())
    ids = COMPETITORS[: draw(st.integers(1, 7))]
    submitted = [s for c in ids for s in draw(competitor_submissions(c, skill))]
    return Case(skill, competitors(ids), submitted)


def kinds(skill: Skill) -> dict[str, str]:
    return {aspect.id: aspect.kind for _, aspect in skill.aspects}


def slot(kinds: Mapping[str, str], submission: Submission) -> Hashable:
    """What a submission replaces: the (competitor, aspect) of a measurement, whoever enters
    it; for a judgement, that expert's own score."""
    competitor, aspect, expert, _ = submission
    if kinds[aspect] == "measurement":
        return (competitor, aspect)
    return (competitor, aspect, expert)


def apply(skill: Skill, applied: Sequence[Submission]) -> Marks:
    """The marks that stand after these submissions, as ranking's store keeps them."""
    marks = Marks()
    kind = kinds(skill)
    for competitor, aspect, expert, value in applied:
        key = (competitor, aspect)
        if kind[aspect] == "measurement":
            if value is None:
                marks.measurements.pop(key, None)
            else:
                marks.measurements[key] = value
            continue
        scores = marks.judgements.setdefault(key, {})
        if value is None:
            scores.pop(expert, None)
        else:
            scores[expert] = int(value)
        if not scores:
            del marks.judgements[key]
    return marks


def interleave(
    skill: Skill, ordered: Sequence[Submission], shuffled: Sequence[int]
) -> list[Submission]:
    """Another arrival order: positions as in `shuffled`, but the submissions for one slot
    still in their own order, as the per-skill log guarantees."""
    kind = kinds(skill)
    queues: dict[Hashable, deque[Submission]] = defaultdict(deque)
    for submission in ordered:
        queues[slot(kind, submission)].append(submission)
    return [queues[slot(kind, ordered[i])].popleft() for i in shuffled]


def result_of(case: Case) -> Result:
    return standings(case.skill, case.people, apply(case.skill, case.submissions))


def round_half_away(value: Fraction) -> int:
    """For the positive values used here."""
    return math.floor(value + Fraction(1, 2))


def scored(rows: Sequence[StandingsRow]) -> list[StandingsRow]:
    return [row for row in rows if row.progress > 0]


@bounded
@given(cases())
def test_ranks_are_competition_ranks_of_the_rounded_totals_in_order(case: Case) -> None:
    rows = result_of(case).rows
    assert sorted(row.competitor for row in rows) == sorted(c.id for c in case.people)
    for row in rows:
        # Higher totals rank above, equal totals share, and each share skips the places it took.
        assert row.rank == 1 + sum(total_of(other) > total_of(row) for other in rows)
    places = [(row.rank or 0, row.competitor) for row in rows]
    assert places == sorted(places)


@bounded
@given(cases())
def test_medals_follow_ranks_and_scale_without_a_tie_band(case: Case) -> None:
    threshold = case.skill.rules.excellence_threshold
    for row in result_of(case).rows:
        if row.progress == 0:
            assert row.medal is None and row.scale is None
            continue
        assert row.scale is not None and row.rank is not None
        expected = PODIUM.get(row.rank) or ("excellence" if row.scale >= threshold else None)
        assert row.medal == expected


@bounded
@given(cases(), st.data())
def test_standings_do_not_depend_on_the_arrival_order_of_different_slots(
    case: Case, data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(range(len(case.submissions))))
    other = case._replace(submissions=interleave(case.skill, case.submissions, shuffled))
    assert result_of(other) == result_of(case)


def with_odd_count(case: Case) -> Case:
    """The case, less its last competitor with marks when an even number of them have any."""
    rows = scored(result_of(case).rows)
    assume(rows)
    if len(rows) % 2:
        return case
    dropped = rows[-1].competitor
    return case._replace(
        people=[c for c in case.people if c.id != dropped],
        submissions=[s for s in case.submissions if s.competitor != dropped],
    )


@bounded
@given(cases().map(with_odd_count))
def test_the_median_competitor_of_an_odd_count_sits_at_the_scale_centre(case: Case) -> None:
    rows = scored(result_of(case).rows)
    # Rounding keeps the order of totals, so the exact median's row is among those whose
    # rounded total is the middle one; ties after rounding may hide which of them it is.
    middle = sorted(total_of(row) for row in rows)[len(rows) // 2]
    centre = round_half_away(exact(case.skill.rules.scale_center))
    assert centre in {row.scale for row in rows if row.total == middle}


def exact_scale(total: Fraction, totals: Sequence[Fraction], rules: Rules) -> int:
    """center + spread * (total - median) / sd rounded half away from zero, decided without
    approximating sd: for a positive value x that is the largest n with x >= n - 1/2."""
    centre = exact(rules.scale_center)
    gap = exact(rules.scale_spread) * (total - statistics.median(totals))
    variance = statistics.pvariance(totals)

    def reaches(bound: Fraction) -> bool:
        # centre + gap / sqrt(variance) >= bound; x * |x| keeps the order and loses the root.
        need = bound - centre
        return gap * abs(gap) >= need * abs(need) * variance

    n = round(float(centre) + float(gap) / math.sqrt(variance))
    while not reaches(n - Fraction(1, 2)):
        n -= 1
    while reaches(n + Fraction(1, 2)):
        n += 1
    return n


@bounded
@given(
    st.lists(
        st.builds(Fraction, st.integers(0, 3000), st.sampled_from((1, 3, 9, 27, 100, 300, 900))),
        min_size=2,
        max_size=9,
    ),
    RULES,
)
def test_scale_is_exact_up_to_the_final_rounding(totals: list[Fraction], rules: Rules) -> None:
    assume(len(set(totals)) > 1)
    skill = Skill(id="welding", name="Welding", criteria=(), rules=rules)
    scores = scale_scores({f"C-{i}": t for i, t in enumerate(totals)}, skill)
    assert scores == {f"C-{i}": exact_scale(t, totals, rules) for i, t in enumerate(totals)}


def test_a_score_on_a_half_exactly_is_rounded_away_from_zero() -> None:
    """Two competitors sit at centre ± spread; a spread ending in .5 puts them on halves."""
    for centre, spread, expected in (
        (700, 99.5, (601, 800)),
        (0, 0.5, (-1, 1)),
        (10, 2.5, (8, 13)),
    ):
        rules = Rules(scale_center=centre, scale_spread=spread)
        skill = Skill(id="welding", name="Welding", criteria=(), rules=rules)
        scores = scale_scores({"C-0": Fraction(1, 3), "C-1": Fraction(7, 3)}, skill)
        assert (scores["C-0"], scores["C-1"]) == expected
