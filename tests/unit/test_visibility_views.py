"""The public's view of the ticker, by each skill's visibility."""

from __future__ import annotations

from services.ranking.visibility import public_ticker
from shared.events import TickerItem


def item(seq: int, skill: str, value: float | None = 1.0) -> TickerItem:
    return TickerItem(seq, skill, f"C-{seq}", "Name", "KZ", "A1", "t", value, value is None)


def test_frozen_skills_vanish_progress_loses_values_live_and_final_stay() -> None:
    items = (item(4, "live"), item(3, "frozen"), item(2, "progress"), item(1, "final", None))
    shown = public_ticker(
        items, {"live": "live", "frozen": "frozen", "progress": "progress", "final": "final"}
    )
    assert [(i.seq, i.value) for i in shown] == [(4, 1.0), (2, None), (1, None)]
    assert shown[2].withdrawn
