"""The hypothesis strategy for a skill's rules, which every property test about ranking draws
from: one definition, so the tests cannot drift apart in what they try."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from shared.championship import MedalMinEntrants, Rules

# Halves, so that rounding half away from zero (not to even) is exercised. Each of these
# centres is large enough against the spreads that every scale score stays positive.
CENTRES = (700.0, 700.5, 650.5, 699.5)
# Small against the spreads: some scale scores come out negative.
LOW_CENTRE = 0.5
SPREADS = (50.0, 100.0, 12.5, 2.5, 1.5, 0.5)
THRESHOLDS = (650.0, 700.0, 720.0)


def rules(*, medals_by_rank_alone: bool = False) -> st.SearchStrategy[Rules]:
    """Any rules; `medals_by_rank_alone`: no tie band, no minimum of entrants and positive
    scales only, for the properties that state the medals from the ranks."""
    if medals_by_rank_alone:
        return st.builds(Rules, **scale(CENTRES))
    return st.builds(
        Rules,
        **scale((*CENTRES, LOW_CENTRE)),
        medal_tie_band=st.sampled_from((0.0, 0.0, 0.5, 3.0)),
        medal_min_entrants=st.builds(
            MedalMinEntrants, st.integers(0, 6), st.integers(0, 6), st.integers(0, 6)
        ),
    )


def scale(centres: tuple[float, ...]) -> dict[str, st.SearchStrategy[Any]]:
    return {
        "judges_per_aspect": st.integers(1, 3),
        "max_judge_spread": st.integers(0, 3),
        "scale_center": st.sampled_from(centres),
        "scale_spread": st.sampled_from(SPREADS),
        "excellence_threshold": st.sampled_from(THRESHOLDS),
    }
