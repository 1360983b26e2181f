"""The benchmark's figures: nearest-rank percentiles and mark-to-screen latencies."""

from __future__ import annotations

import pytest

from tests.bench.pipeline import Observed, stages_of
from tests.bench.stats import latencies, percentile, summary


def test_percentiles_take_the_nearest_rank() -> None:
    ordered = [float(n) for n in range(1, 101)]
    assert percentile(ordered, 50) == 50
    assert percentile(ordered, 99) == 99
    assert percentile(ordered, 100) == 100
    assert percentile([7.0], 99) == 7.0
    with pytest.raises(ValueError):
        percentile([], 50)


def test_a_summary_gives_p50_p99_and_max_in_milliseconds() -> None:
    assert summary([3.0, 1.0, 2.0]) == {"samples": 3, "p50_ms": 2.0, "p99_ms": 3.0, "max_ms": 3.0}
    assert summary([]) == {"samples": 0}


def test_a_mark_reaches_a_screen_with_the_first_frame_at_or_past_its_seq() -> None:
    posted = [(5, 10.000), (6, 10.100), (9, 10.200)]
    # The screen skipped version 6: mark 6 arrived with frame 7, which also covers nothing later.
    versions, arrivals = [5, 7, 9], [10.004, 10.120, 10.215]
    assert [round(ms, 3) for ms in latencies(posted, versions, arrivals)] == [4.0, 20.0, 15.0]


def test_marks_a_screen_never_got_are_left_out() -> None:
    assert latencies([(3, 1.0), (4, 1.1)], [3], [1.002]) == pytest.approx([2.0])


def test_each_stage_of_a_mark_is_timed_from_its_post_by_what_includes_it() -> None:
    """`make bench pipeline`: a stage seen by seq (stored) or by a version that includes the
    mark's seq (a board, a frame); a board that skipped the mark's own version still counts."""
    observed = Observed(
        published=[10.001, 10.101],
        stored={7: 10.002, 8: 10.103},
        boards=[(7, 10.004), (9, 10.108)],
        frames=[(9, 10.110)],
    )
    posts = [(7, 10.000, 10.003), (8, 10.100, 10.104)]
    stages = stages_of(posts, observed)
    rounded = {stage: [round(ms, 3) for ms in times] for stage, times in stages.items()}
    assert rounded == {
        "published": [1.0, 1.0],
        "stored": [2.0, 3.0],
        "answered": [3.0, 4.0],
        "board_published": [4.0, 8.0],
        "on_screen": [110.0, 10.0],
    }
