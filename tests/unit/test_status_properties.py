"""docs/rules.md as a property: for any generated championship of two skills (statuses, teams,
tie bands, minimum entrants, any marks), ranking's standings and medal table are, row by row,
what the independent recomputation in tests/support/recompute.py finds."""

from __future__ import annotations

from fractions import Fraction
from typing import Any, NamedTuple

from hypothesis import given, settings
from hypothesis import strategies as st

from services.ranking.medals import medal_table
from services.ranking.rules import Marks, standings
from shared.championship import (
    Aspect,
    AspectKind,
    Competitor,
    Criterion,
    Member,
    Skill,
)
from shared.events import StandingsRow, Status
from tests.support.recompute import entry_by_hand, medal_table_by_hand, skill_by_hand
from tests.support.strategies import rules

MEMBERS = ("AZ", "HU", "KG", "KZ", "TR", "UZ")
EXPERTS = ("E1", "E2", "E3", "E4")
STATUSES: tuple[Status, ...] = ("competing", "absent", "withdrawn", "non_competing")
KINDS: tuple[AspectKind, ...] = ("measurement", "judgement")

bounded = settings(max_examples=150, deadline=None)


class Drawn(NamedTuple):
    skill: Skill
    people: list[Competitor]
    marks: Marks


RULES = rules()
# Mostly competing, so that medals are often at stake.
STATUS = st.sampled_from((*STATUSES, "competing", "competing"))
TEAM = st.sampled_from(((), (), ("Ayşe Yılmaz", "Ali Kaya"), ("Айгерім", "Нұрлан", "Асель")))


@st.composite
def skills(draw: st.DrawFn, name: str) -> Drawn:
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=3))
    maxima = draw(st.lists(st.sampled_from((2.5, 10.0, 30.0, 36.0)), min_size=3, max_size=3))
    aspects = tuple(Aspect(f"X{i}", kind, maxima[i]) for i, kind in enumerate(kinds))
    skill = Skill(name, name, (Criterion("A", "A", aspects),), draw(RULES))
    members = draw(st.lists(st.sampled_from(MEMBERS), min_size=1, max_size=8))
    people = [
        Competitor(f"{m}-{name}{i}", f"{m} {i}", m, name, draw(STATUS), draw(TEAM))
        for i, m in enumerate(members)
    ]
    marks = Marks()
    for person in people:
        for aspect in aspects:
            key = (person.id, aspect.id)
            if aspect.kind == "measurement":
                top = int(aspect.max_mark * 100)
                hundredths = draw(st.none() | st.sampled_from((0, top)) | st.integers(0, top))
                if hundredths is not None:
                    marks.measurements[key] = Fraction(hundredths, 100)
            else:
                scores = draw(st.dictionaries(st.sampled_from(EXPERTS), st.integers(0, 3)))
                if scores:
                    marks.judgements[key] = scores
    return Drawn(skill, people, marks)


def as_seen(row: StandingsRow) -> dict[str, Any]:
    return {
        "competitor": row.competitor,
        "rank": row.rank,
        "total": Fraction(str(row.total)),
        "scale": row.scale,
        "medal": row.medal,
        "status": row.status,
        "team": row.team,
    }


def by_hand(drawn: Drawn) -> list[dict[str, Any]]:
    measured, scores = drawn.marks.measurements, drawn.marks.judgements
    entries = [entry_by_hand(drawn.skill, c, measured, scores) for c in drawn.people]
    return skill_by_hand(drawn.skill, entries)


@bounded
@given(skills("weld"))
def test_every_row_is_what_the_rules_document_gives(drawn: Drawn) -> None:
    rows = standings(drawn.skill, drawn.people, drawn.marks).rows
    assert [as_seen(row) for row in rows] == by_hand(drawn)


@bounded
@given(skills("weld"), skills("cook"))
def test_the_medal_table_is_what_the_rules_document_gives(first: Drawn, second: Drawn) -> None:
    boards = {d.skill.id: standings(d.skill, d.people, d.marks).rows for d in (first, second)}
    result = medal_table([Member(m, m) for m in MEMBERS], boards, provisional=True)
    rows = [{**as_seen(r), "member": r.member} for rs in boards.values() for r in rs]
    expected = medal_table_by_hand(list(MEMBERS), rows)
    assert [line.member for line in result.table] == expected["order"]
    for line in result.table:
        got = {
            "gold": line.gold,
            "silver": line.silver,
            "bronze": line.bronze,
            "excellence": line.excellence,
            "points": line.points,
            "entrants": line.entrants,
            "average_points": line.average_points,
            "average_scale": line.average_scale,
        }
        assert got == expected["lines"][line.member], line.member
    assert {k: list(v) for k, v in result.best_of_nation.items()} == expected["best_of_nation"]
    assert list(result.best_overall) == expected["best_overall"]
