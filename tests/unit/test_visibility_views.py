"""The public's view of the ticker and the boards, by each skill's visibility, always under the
competitors' public names."""

from __future__ import annotations

from datetime import date

from services.ranking.visibility import public_ticker, public_view
from shared.championship import Championship, Competitor
from shared.events import Standings, StandingsRow, TickerItem
from shared.public.view import public_championship
from tests.support.people import demo

STARTS = date(2025, 10, 9)
HIDDEN = Competitor(
    "C-HIDDEN", "Hiddenname Secretova", "KZ", "web", birth_date=date(2009, 1, 1), consent=None
)
TEAM = Competitor(
    "C-TEAM", "Team Aktau", "KZ", "web", team=("Adult Person", "Minor Person"), consent=False
)


def championship() -> Championship:
    base = demo()
    return Championship(
        id=base.id,
        name=base.name,
        members=base.members,
        skills=base.skills,
        competitors=(HIDDEN, TEAM),
        experts=(),
        starts=STARTS,
    )


PUBLIC = public_championship(championship())


def item(seq: int, skill: str, value: float | None = 1.0) -> TickerItem:
    return TickerItem(seq, skill, HIDDEN.id, HIDDEN.name, "KZ", "A1", "t", value, value is None)


def row(competitor: Competitor, rank: int) -> StandingsRow:
    return StandingsRow(rank, competitor.id, competitor.name, "KZ", 1.0, 90.0, team=competitor.team)


def test_frozen_skills_vanish_progress_loses_values_live_and_final_stay() -> None:
    items = (item(4, "live"), item(3, "frozen"), item(2, "progress"), item(1, "final", None))
    shown = public_ticker(
        items,
        {"live": "live", "frozen": "frozen", "progress": "progress", "final": "final"},
        PUBLIC,
    )
    assert [(i.seq, i.value) for i in shown] == [(4, 1.0), (2, None), (1, None)]
    assert shown[2].withdrawn
    assert {i.name for i in shown} == {"H. S."}


def test_every_public_board_names_competitors_by_their_public_names() -> None:
    rows = (row(HIDDEN, 1), row(TEAM, 2))
    for visibility in ("live", "progress", "frozen", "final"):
        standings = Standings("web", 1, "e", visibility, True, "t", 1.0, rows, revealed=1)
        public = public_view(standings, rows, PUBLIC)
        assert {r.name for r in public.rows} <= {"H. S.", "T. A."}, visibility
        assert all(r.team in ((), ("A. P.", "M. P.")) for r in public.rows), visibility
        assert "Secretova" not in repr(public) and "Person" not in repr(public)
