"""The PNG of the screens benchmark: p99 latency against screens at each rate, podium and the
baselines, and beside them the fan-out server's CPU per snapshot and screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

LABELS = {
    "podium": "podium (intake → NATS → ranking → broadcast)",
    "bare": "bare websockets.broadcast",
    "socketio": "python-socketio",
}
COLOURS = {"podium": "tab:blue", "bare": "tab:orange", "socketio": "tab:green"}


def plot(results: dict[str, list[dict[str, Any]]], conditions: str, out: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, NullFormatter

    rates = sorted({r["marks_per_second"] for runs in results.values() for r in runs})
    figure, panels = plt.subplots(1, len(rates) + 1, figsize=(6 * (len(rates) + 1), 5), dpi=100)
    for axes, rate in zip(panels, rates, strict=False):
        for name, runs in results.items():
            points = _points(runs, "p99_ms", rate)
            if points:
                xs, ys = zip(*points, strict=True)
                axes.plot(xs, ys, marker="o", label=LABELS.get(name, name), color=COLOURS.get(name))
                for x, y in points:
                    axes.annotate(f"{y:g}", (x, y), textcoords="offset points", xytext=(4, 4))
        axes.set_yscale("log")
        axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
        axes.yaxis.set_minor_formatter(NullFormatter())
        axes.set_ylabel("p99 mark-to-screen latency (ms)")
        axes.set_title(f"Mark to screen, p99, {rate:g} marks a second", loc="left")
    cpu = panels[-1]
    for name, runs in results.items():
        for rate, style in zip(rates, ("--", "-", ":"), strict=False):
            points = _points(runs, "fanout_cpu_us_per_snapshot_screen", rate)
            if points:
                xs, ys = zip(*points, strict=True)
                label = f"{name}, {rate:g} marks/s"
                cpu.plot(xs, ys, style, marker="o", label=label, color=COLOURS.get(name))
    cpu.set_ylabel("server CPU per snapshot and screen, beyond idle (µs)")
    cpu.set_title("The fan-out's own cost", loc="left")
    cpu.set_ylim(bottom=0)
    for axes in panels:
        axes.set_xscale("log")
        axes.margins(x=0.15)
        axes.set_xlabel("screens subscribed to the skill")
        axes.grid(True, which="both", alpha=0.3)
        axes.legend(fontsize=8)
    figure.text(0.01, 0.01, conditions, fontsize=7, alpha=0.8)
    figure.tight_layout(rect=(0, 0.03, 1, 1))
    figure.savefig(out)
    plt.close(figure)
    return out


def _points(runs: list[dict[str, Any]], figure: str, rate: float) -> list[tuple[int, float]]:
    """(screens, figure) of the runs at `rate` that have the figure."""
    at_rate = (r for r in runs if r["marks_per_second"] == rate)
    return [(r["screens"], r[figure]) for r in at_rate if figure in r]
