"""Pure helpers for the figures: percentiles and latencies from arrival times."""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence


def percentile(ordered: Sequence[float], p: float) -> float:
    """The nearest-rank percentile (p in 0..100) of an already sorted, non-empty sequence."""
    if not ordered:
        raise ValueError("no samples")
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def summary(samples: Sequence[float], digits: int = 2) -> dict[str, float | int]:
    """p50, p99 and max of latencies in milliseconds, and how many there were."""
    ordered = sorted(samples)
    if not ordered:
        return {"samples": 0}
    return {
        "samples": len(ordered),
        "p50_ms": round(percentile(ordered, 50), digits),
        "p99_ms": round(percentile(ordered, 99), digits),
        "max_ms": round(ordered[-1], digits),
    }


def latencies(
    posted: Sequence[tuple[int, float]], versions: Sequence[int], arrivals: Sequence[float]
) -> list[float]:
    """Milliseconds from each mark's POST to one screen's first frame that includes it.

    `posted` holds (seq, POST start) per mark; `versions` and `arrivals` are the frames the
    screen got, versions strictly growing. A frame includes a mark when its version is at least
    the mark's seq (a screen that skipped frames still has it from a later one). Marks the
    screen never got are left out: the caller counts those screens as having missed the end.
    """
    found = []
    for seq, started in posted:
        at = bisect.bisect_left(versions, seq)
        if at < len(versions):
            found.append((arrivals[at] - started) * 1000)
    return found
