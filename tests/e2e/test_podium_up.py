"""`podium up` as a user runs it: ready, a posted mark reaches a screen, SIGTERM stops all."""

from __future__ import annotations

import asyncio
import functools
import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets

from services.tools.demo.experts import day_plan
from shared.plumbing.settings import DEMO_CHAMPIONSHIP_JSON
from tests.support.boards import at_version
from tests.support.eventually import eventually_sync
from tests.support.people import demo, judge_for
from tests.support.processes import alive, children_of
from tests.support.recompute import ranked, totals_from_audit
from tests.support.servers import Server, free_port
from tests.support.stack import PODIUM, Stack, launch, token, wait_ready


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    yield from launch(tmp_path, [])


async def follow_a_mark(stack: Stack) -> float:
    championship = demo()
    competitor = championship.competitors[0]
    judge = judge_for(championship, competitor)
    aspect = next(
        a for _, a in championship.index.skills[competitor.skill].aspects if a.kind == "measurement"
    )
    channel = f"standings:{competitor.skill}"
    async with websockets.connect(stack.url("broadcast", "ws") + "/ws") as ws:
        await ws.send(json.dumps({"op": "subscribe", "channel": channel}))
        board = json.loads(await asyncio.wait_for(ws.recv(), 10))
        assert board["type"] == "snapshot"
        headers = {"Authorization": f"Bearer {token(judge.id, stack.data_dir)}"}
        body = {"id": "e2e-1", "competitor": competitor.id, "aspect": aspect.id, "value": 1.0}
        async with httpx.AsyncClient() as http:
            posted = time.monotonic()
            response = await http.post(
                stack.url("intake") + "/api/marks", json=body, headers=headers
            )
        assert response.status_code == 201, response.text
        seq = response.json()["seq"]
        while True:
            update = json.loads(await asyncio.wait_for(ws.recv(), 10))
            if update["type"] == "snapshot" and update["version"] >= seq:
                break
        elapsed = time.monotonic() - posted
    row = next(r for r in update["data"]["rows"] if r["competitor"] == competitor.id)
    assert row["total"] == 1.0
    return elapsed


def test_a_mark_goes_from_intake_to_a_screen_and_sigterm_leaves_nothing(stack: Stack) -> None:
    ready_s = wait_ready(stack)
    assert any(stack.url("broadcast") + "/api/standings" in line for line in stack.output)
    parts = children_of(stack.process.pid)
    assert len(parts) >= 5, parts
    to_screen_s = asyncio.run(follow_a_mark(stack))
    print(f"ready in {ready_s:.2f}s; POST to screen {to_screen_s * 1000:.1f} ms")

    stack.process.send_signal(signal.SIGTERM)
    assert stack.process.wait(30) == 0
    left = [pid for pid in parts if alive(pid)]
    assert left == [], f"still running: {left}"


def test_a_dead_part_is_restarted(stack: Stack) -> None:
    wait_ready(stack)
    broadcast = next(
        pid
        for pid in children_of(stack.process.pid)
        if "broadcast" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
    )
    os.kill(broadcast, signal.SIGKILL)
    eventually_sync(
        lambda: httpx.get(stack.url("broadcast") + "/readyz", timeout=1).status_code == 200,
        within=30,
        every=0.2,
        ignoring=(httpx.HTTPError,),
        what="broadcast restarted",
    )
    stack.process.send_signal(signal.SIGINT)
    assert stack.process.wait(30) == 0


def test_existing_servers_are_used_and_left_running(
    tmp_path: Path, nats: Server, redis: Server
) -> None:
    urls = ["--nats-url", f"nats://127.0.0.1:{nats.port}"]
    urls += ["--redis-url", f"redis://127.0.0.1:{redis.port}/0"]
    for stack in launch(tmp_path, urls):
        wait_ready(stack)
        commands = [
            Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
            for pid in children_of(stack.process.pid)
        ]
        assert not any("nats-server" in c or "redis-server" in c for c in commands), commands
        asyncio.run(follow_a_mark(stack))
        stack.process.send_signal(signal.SIGTERM)
        assert stack.process.wait(30) == 0
    assert nats.process is not None and nats.process.poll() is None
    assert redis.process is not None and redis.process.poll() is None


def test_a_bad_championship_file_starts_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    raw = json.loads(DEMO_CHAMPIONSHIP_JSON.read_text())
    raw["skills"][0]["criteria"][0]["aspects"][0]["max_mark"] = "ten"
    del raw["experts"][2]["name"]
    bad.write_text(json.dumps(raw))
    argv = [*PODIUM, "up", "--championship", str(bad), "--data-dir", str(tmp_path / "data")]
    argv += ["--nats-port", str(free_port()), "--redis-port", str(free_port())]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode == 2
    assert "skills[0].criteria[0].aspects[0].max_mark" in result.stderr
    assert "experts[2].name: is required" in result.stderr
    assert not (tmp_path / "data" / "nats").exists()


def test_podium_rebuild_replays_the_log_with_a_new_epoch(stack: Stack) -> None:
    wait_ready(stack)
    asyncio.run(follow_a_mark(stack))
    skill = demo().competitors[0].skill
    board = stack.url("broadcast") + f"/api/standings/{skill}"
    before = httpx.get(board).json()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PODIUM_")}
    env["PODIUM_NATS_URL"] = f"nats://127.0.0.1:{stack.ports['nats']}"
    env["PODIUM_REDIS_URL"] = f"redis://127.0.0.1:{stack.ports['redis']}/0"
    done = subprocess.run([*PODIUM, "rebuild"], env=env, capture_output=True, text=True, check=True)
    assert "8 skills" in done.stdout
    # Until the rebuilt board is there (while ranking replays, the board may be missing).
    after: dict[str, Any] = eventually_sync(
        lambda: httpx.get(board).json(),
        lambda after: after.get("epoch", before["epoch"]) != before["epoch"],
        within=30,
        every=0.2,
        ignoring=(httpx.HTTPError, ValueError),
        what="the rebuilt board",
    )
    assert after["rows"] == before["rows"]
    assert after["version"] == before["version"]
    stack.process.send_signal(signal.SIGTERM)
    assert stack.process.wait(30) == 0


def board_of(stack: Stack, skill: str) -> dict[str, Any]:
    board: dict[str, Any] = httpx.get(stack.url("broadcast") + f"/api/standings/{skill}").json()
    return board


def metrics_show(stack: Stack, line: str) -> bool:
    return line in httpx.get(stack.url("intake") + "/metrics").text


def test_a_full_demo_day_matches_a_recomputation_from_the_audit_export(tmp_path: Path) -> None:
    """`podium up --demo` marks the whole day; boards and medals follow from the log alone."""
    for stack in launch(tmp_path, ["--demo", "--demo-rate", "400"]):
        wait_ready(stack)
        marks = len(day_plan(demo(), seed=2025))
        accepted = f'podium_intake_commands_total{{command="mark",outcome="accepted"}} {marks}.0'
        eventually_sync(
            functools.partial(metrics_show, stack, accepted),
            within=240,
            every=0.5,
            what="the demo day finished",
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith("PODIUM_")}
        env["PODIUM_NATS_URL"] = f"nats://127.0.0.1:{stack.ports['nats']}"
        env["PODIUM_REDIS_URL"] = f"redis://127.0.0.1:{stack.ports['redis']}/0"
        audit = subprocess.run(
            [*PODIUM, "export", "audit"], env=env, capture_output=True, text=True, check=True
        ).stdout
        everything = [json.loads(line) for line in audit.splitlines()]
        # The demo's experts sign each form once complete: sign-offs are in the log too.
        assert any(line["type"] == "signoff" for line in everything)
        lines = [line for line in everything if line["type"] == "mark"]
        assert len(lines) == marks
        last = {line["skill"]: line["seq"] for line in lines}
        boards = {}
        for skill, seq in last.items():
            boards[skill] = eventually_sync(
                functools.partial(board_of, stack, skill),
                functools.partial(at_version, seq),
                within=60,
                every=0.2,
                what=f"{skill} caught up",
            )
        medals = httpx.get(stack.url("broadcast") + "/api/medals").json()
        stack.process.send_signal(signal.SIGTERM)
        assert stack.process.wait(30) == 0

    totals = totals_from_audit(lines)
    won: dict[tuple[str, str], int] = {}
    for skill, board in boards.items():
        expected = [(rank, c, float(total)) for rank, c, total in ranked(skill, totals)]
        shown = [(row["rank"], row["competitor"], row["total"]) for row in board["rows"]]
        assert shown == expected, skill
        for row in board["rows"]:
            medal = {1: "gold", 2: "silver", 3: "bronze"}.get(row["rank"])
            if medal:
                won[row["member"], medal] = won.get((row["member"], medal), 0) + 1
                assert row["medal"] == medal, row
    for line in medals["table"]:
        for medal in ("gold", "silver", "bronze"):
            assert line[medal] == won.get((line["member"], medal), 0), (line, medal)
    points = [
        (-line["points"], -line["gold"], -line["silver"], -line["bronze"], line["member"])
        for line in medals["table"]
    ]
    assert points == sorted(points)
