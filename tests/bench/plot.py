"""The PNG of the screens benchmark: p99 latency against screens, podium and the baselines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

LABELS = {
    "podium": "podium (intake → NATS → ranking → broadcast)",
    "bare": "bare websockets.broadcast",
    "socketio": "python-socketio",
}


def plot(results: dict[str, list[dict[str, Any]]], conditions: str, out: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(8, 5), dpi=110)
    for name, runs in results.items():
        points = [(r["screens"], r["p99_ms"]) for r in runs if "p99_ms" in r]
        if points:
            xs, ys = zip(*points, strict=True)
            axes.plot(xs, ys, marker="o", label=LABELS.get(name, name))
            for x, y in points:
                axes.annotate(f"{y:g}", (x, y), textcoords="offset points", xytext=(4, 4))
    axes.set_xscale("symlog", linthresh=10)
    axes.set_yscale("log")
    axes.set_xlabel("screens subscribed to the skill")
    axes.set_ylabel("p99 mark-to-screen latency (ms)")
    axes.set_title("Mark to screen, p99", loc="left")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend()
    figure.text(0.01, 0.01, conditions, fontsize=7, alpha=0.8)
    figure.tight_layout(rect=(0, 0.03, 1, 1))
    figure.savefig(out)
    plt.close(figure)
    return out
