"""The command line of `make bench` (`python -m tests.bench`): kept beside the tests, out of the
wheel and the image, because only a clone measures."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import tests.bench as bench
from shared.championship import Championship
from shared.organiser import load
from shared.plumbing.clock import iso_now
from shared.plumbing.settings import DEMO_CHAMPIONSHIP
from tests.bench import intake, jetstream, judges, latency, memory, pipeline, replay
from tests.bench.servers import processes, raise_open_files, start_servers, start_stack

BENCHMARKS = (
    "screens",
    "pipeline",
    "intake",
    "jetstream",
    "replay",
    "publish",
    "memory",
    "judges",
)
TARGETS = ("podium", "bare", "socketio")
# podium's frame for the benchmark's skill, as measured here; used when podium is not run.
DEFAULT_FRAME_BYTES = 3000


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="make bench ARGS=...",
        description=bench.__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    top.add_argument("which", nargs="*", help=f"benchmarks, as --only ({', '.join(BENCHMARKS)})")
    top.add_argument("--only", type=_names, default=None, help="comma-separated benchmarks")
    top.add_argument("--screens", type=_counts, default=[1, 500, 2000, 9000])
    top.add_argument("--targets", type=_names, default=list(TARGETS), help="podium and baselines")
    top.add_argument("--baseline-screens", type=_counts, default=None, help="default: --screens")
    top.add_argument("--marks", type=int, default=80, help="marks per screens run, at each rate")
    top.add_argument(
        "--rates", type=_rates, default=[2.0, 10.0], help="marks per second, one run each"
    )
    top.add_argument("--frame-bytes", type=int, default=0, help="baseline frame size (0: podium's)")
    top.add_argument("--pipeline-marks", type=int, default=200, help="marks a pipeline run")
    top.add_argument("--intake-clients", type=int, default=32)
    top.add_argument("--intake-seconds", type=float, default=10.0)
    top.add_argument("--replay-events", type=int, default=100_000)
    top.add_argument("--publish-marks", type=int, default=300)
    top.add_argument("--memory-screens", type=int, default=2000)
    top.add_argument("--out", type=Path, default=Path("bench-results"))
    return top


def _names(text: str) -> list[str]:
    return [n.strip() for n in text.split(",") if n.strip()]


def _counts(text: str) -> list[int]:
    return [int(n.replace("_", "")) for n in _names(text)]


def _rates(text: str) -> list[float]:
    return [float(n) for n in _names(text)]


def conditions() -> dict[str, Any]:
    return {
        "machine": platform.machine(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "open_files": raise_open_files(),
        "nats_sync_interval": "always",
        "when": iso_now(),
    }


def say(line: str) -> None:
    print(line, flush=True)


def bench_screens(
    args: argparse.Namespace, championship: Championship, root: Path
) -> dict[str, Any]:
    """Each screen count in turn, on every target: podium, then each baseline, back to back,
    so that podium and the baselines meet the same load from whatever else the machine runs
    (a shared machine's load moves within minutes). Every target's server is started once and
    kept for all counts; a baseline's frames take the size podium's first run measured."""
    paces = [latency.Pace(args.marks, rate) for rate in args.rates]
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in args.targets}
    frame_bytes = args.frame_bytes or DEFAULT_FRAME_BYTES
    baselines = [t for t in args.targets if t != "podium"]
    targets: dict[str, latency.Target] = {}
    with contextlib.ExitStack() as servers:
        if "podium" in args.targets:
            podium = latency.podium_target(championship, root / "podium")
            targets["podium"] = servers.enter_context(podium)
        counts = sorted(set(args.screens) | set(args.baseline_screens or args.screens))
        for screens in counts:
            if screens in args.screens and "podium" in targets:
                runs["podium"] += latency.run_target(targets["podium"], screens, paces, say)
                measured = max((r.get("frame_bytes", 0) for r in runs["podium"]), default=0)
                if not args.frame_bytes and measured and not targets.keys() & set(baselines):
                    frame_bytes = measured
            if screens not in (args.baseline_screens or args.screens):
                continue
            for kind in baselines:
                if kind not in targets:
                    targets[kind] = servers.enter_context(
                        latency.baseline_target(kind, frame_bytes)
                    )
                runs[kind] += latency.run_target(targets[kind], screens, paces, say)
    return {
        "skill": latency.SKILL,
        "marks_per_second": args.rates,
        "marks_per_run": args.marks,
        "frame_bytes": frame_bytes,
        "runs": runs,
        "ratios": latency.compare(runs),
    }


def bench_stack(
    args: argparse.Namespace, championship: Championship, root: Path, which: str
) -> dict[str, Any]:
    with processes(root) as started:
        stack = start_stack(started)
        if which == "pipeline":
            return {
                "runs": [
                    pipeline.trace(championship, started, stack, args.pipeline_marks, rate)
                    for rate in args.rates
                ]
            }
        if which == "intake":
            return asyncio.run(
                intake.hammer(
                    championship,
                    stack.intake,
                    stack.settings.secret,
                    args.intake_clients,
                    args.intake_seconds,
                )
            )
        return {
            "idle_stack": memory.idle(started),
            "per_screen": memory.per_screen(started, stack, args.memory_screens),
        }


def bench_ranking(
    args: argparse.Namespace, championship: Championship, root: Path, which: str
) -> dict[str, Any]:
    with processes(root) as started:
        settings = start_servers(started)
        if which == "replay":
            return asyncio.run(replay.bench_replay(settings, championship, args.replay_events))
        return asyncio.run(replay.bench_publish(settings, championship, args.publish_marks))


def run(args: argparse.Namespace, which: list[str]) -> dict[str, Any]:
    championship = load(DEMO_CHAMPIONSHIP)
    results: dict[str, Any] = {"conditions": conditions()}
    say(f"conditions: {json.dumps(results['conditions'])}")
    steps: dict[str, Callable[[Path], dict[str, Any]]] = {
        "screens": lambda root: bench_screens(args, championship, root),
        "intake": lambda root: bench_stack(args, championship, root, "intake"),
        "jetstream": lambda root: jetstream.ceiling(root, args.intake_seconds / 2),
        "memory": lambda root: bench_stack(args, championship, root, "memory"),
        "pipeline": lambda root: bench_stack(args, championship, root, "pipeline"),
        "replay": lambda root: bench_ranking(args, championship, root, "replay"),
        "publish": lambda root: bench_ranking(args, championship, root, "publish"),
        "judges": judges.bench_judges,
    }
    for name in which:
        with tempfile.TemporaryDirectory(prefix=f"podium-bench-{name}-") as root:
            (Path(root) / "podium").mkdir()
            results[name] = steps[name](Path(root))
        say(f"{name}: {json.dumps(results[name])}")
    return results


def main(argv: list[str] | None = None) -> int:
    top = parser()
    args = top.parse_args(argv)
    which = args.which + (args.only or []) or list(BENCHMARKS)
    unknown = set(which) - set(BENCHMARKS)
    unknown |= set(args.targets) - set(TARGETS)
    if unknown:
        top.error(f"unknown name(s): {', '.join(sorted(unknown))}")
    results = run(args, which)
    args.out.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    out = args.out / f"bench-{stamp}.json"
    out.write_text(json.dumps(results, indent=2))
    say(f"written to {out}")
    if "screens" in results:
        from tests.bench.plot import plot

        picture = plot(
            results["screens"]["runs"], caption(results), args.out / f"screens-{stamp}.png"
        )
        shutil.copyfile(picture, args.out / "screens-latest.png")
        say(f"plot: {picture}")
    return 0


def caption(results: dict[str, Any]) -> str:
    c, s = results["conditions"], results["screens"]
    rates = " and ".join(f"{rate:g}" for rate in s["marks_per_second"])
    return (
        f"{c['cores']} cores shared by server and clients, Python {c['python']}, "
        f"{rates} marks/s, {s['marks_per_run']} marks a run, "
        f"frames of {s['frame_bytes']} bytes, {c['when'][:10]}"
    )
