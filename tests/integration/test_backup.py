"""`podium backup` and `podium restore`: the event log to files and back into a fresh one,
from which ranking rebuilds the very same standings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from services.ranking.app import build
from shared.events import Command, CriterionLocked, VisibilityChanged
from shared.plumbing.clock import iso_now
from shared.plumbing.settings import Settings
from tests.integration.test_ranking import wait_for_version
from tests.support.boards import stored_boards
from tests.support.log import append, mark
from tests.support.people import SECRET, demo, judge_for
from tests.support.servers import nats_server, redis_server, running
from tests.support.services import serving

CHAMPIONSHIP = demo()
SKILL, OTHER = CHAMPIONSHIP.skills[:2]
FIRST = CHAMPIONSHIP.index.competitors_of(SKILL.id)[0]
MEASURE = next(a.id for _, a in SKILL.aspects if a.kind == "measurement")


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Settings]:
    """A second pair of servers with nothing in them, as on a new machine."""
    with (
        running(nats_server(tmp_path / "fresh-nats")) as nats,
        running(redis_server(tmp_path / "fresh-redis")) as redis,
    ):
        yield Settings(
            nats_url=f"nats://127.0.0.1:{nats.port}",
            redis_url=f"redis://127.0.0.1:{redis.port}/0",
            secret=SECRET,
        )


def podium(settings: Settings, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PODIUM_")}
    env["PODIUM_NATS_URL"] = settings.nats_url
    return subprocess.run(
        [sys.executable, "-m", "services", *argv], capture_output=True, text=True, env=env
    )


async def a_marking_day(settings: Settings) -> int:
    commands: list[Command] = []
    for skill in (SKILL, OTHER):
        aspect = next(a for _, a in skill.aspects if a.kind == "measurement")
        for n, competitor in enumerate(CHAMPIONSHIP.index.competitors_of(skill.id)):
            judge = judge_for(CHAMPIONSHIP, competitor).id
            commands.append(
                mark(f"{skill.id}.{n}", competitor.id, aspect.id, judge, n % 4 / 2, skill.id)
            )
    chief = next(e.id for e in CHAMPIONSHIP.experts if e.skill == SKILL.id and e.role == "chief")
    criterion = SKILL.criteria[-1].id
    commands.append(CriterionLocked("lock-1", SKILL.id, criterion, chief, iso_now()))
    commands.append(VisibilityChanged("freeze-1", OTHER.id, "frozen", chief, iso_now()))
    return (await append(settings.nats_url, *commands))[-1]


async def test_a_restored_log_rebuilds_identical_standings(
    settings: Settings, fresh: Settings, tmp_path: Path
) -> None:
    async with serving(build(settings)):  # ranking declares the log
        last = await a_marking_day(settings)
        await wait_for_version(settings, last - 1, within=20)
    before = await stored_boards(settings.redis_url)

    saved = podium(settings, "backup", str(tmp_path / "backup"))
    assert saved.returncode == 0, saved.stderr
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["commands"] == manifest["last_seq"] == last

    restored = podium(fresh, "restore", str(tmp_path / "backup"))
    assert restored.returncode == 0, restored.stderr
    async with serving(build(fresh)):
        await wait_for_version(fresh, last - 1, within=20)
    after = await stored_boards(fresh.redis_url)

    assert set(after) == set(before) == {s.id for s in CHAMPIONSHIP.skills}
    assert before[SKILL.id].locked and before[OTHER.id].visibility == "frozen"
    for skill, board in before.items():
        again = after[skill]
        assert (again.rows, again.visibility, again.locked, again.version) == (
            board.rows,
            board.visibility,
            board.locked,
            board.version,
        )

    # A second restore into the now full log is refused, and stores nothing.
    twice = podium(fresh, "restore", str(tmp_path / "backup"))
    assert twice.returncode == 2 and f"has held commands (up to seq {last})" in twice.stderr


async def test_a_damaged_or_missing_backup_is_refused_before_anything_is_stored(
    settings: Settings, fresh: Settings, tmp_path: Path
) -> None:
    async with serving(build(settings)):
        await a_marking_day(settings)
    assert podium(settings, "backup", str(tmp_path / "backup")).returncode == 0
    again = podium(settings, "backup", str(tmp_path / "backup"))
    assert again.returncode == 2 and "already holds a backup" in again.stderr

    missing = podium(fresh, "restore", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "no backup in" in missing.stderr

    commands = tmp_path / "backup" / "commands.ndjson"
    lines = commands.read_text()
    assert ":0.5," in lines
    commands.write_text(lines.replace(":0.5,", ":1.5,", 1))
    damaged = podium(fresh, "restore", str(tmp_path / "backup"))
    assert damaged.returncode == 2 and "SHA-256" in damaged.stderr
    nothing = podium(fresh, "export", "audit")
    assert nothing.returncode == 2 and "no event log" in nothing.stderr


async def test_a_redis_ahead_of_a_restored_log_is_rebuilt_and_new_marks_count(
    settings: Settings, fresh: Settings, tmp_path: Path
) -> None:
    """The log restored from an older backup while Redis kept its newer state."""
    async with serving(build(settings)):
        last = await a_marking_day(settings)
        await wait_for_version(settings, last - 1, within=20)
        assert podium(settings, "backup", str(tmp_path / "backup")).returncode == 0
        backed_up = await stored_boards(settings.redis_url)
        judge = judge_for(CHAMPIONSHIP, FIRST).id
        later = await append(
            settings.nats_url, mark("later", FIRST.id, MEASURE, judge, 9, SKILL.id)
        )
        await wait_for_version(settings, later[0], within=20)
    # New NATS from the backup, the same Redis, which has applied more than the backup holds.
    behind_redis = Settings(nats_url=fresh.nats_url, redis_url=settings.redis_url, secret=SECRET)
    assert podium(behind_redis, "restore", str(tmp_path / "backup")).returncode == 0
    async with serving(build(behind_redis)):
        await wait_for_version(behind_redis, last - 1, within=20)
        rebuilt = await stored_boards(settings.redis_url)
        assert rebuilt[SKILL.id].rows == backed_up[SKILL.id].rows
        again = await append(fresh.nats_url, mark("again", FIRST.id, MEASURE, judge, 9, SKILL.id))
        board = await wait_for_version(behind_redis, again[0], within=20)
    row = next(r for r in board.rows if r.competitor == FIRST.id)
    before = next(r for r in backed_up[SKILL.id].rows if r.competitor == FIRST.id)
    assert row.total != before.total  # the new mark counted; it was not taken as applied
