"""Reading standings rows in tests."""

from shared.events import StandingsRow


def total_of(row: StandingsRow) -> float:
    """The row's total; the jury's rows always have one (only progress views leave it out)."""
    assert row.total is not None, row
    return row.total
