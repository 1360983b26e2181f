"""`podium championship check` explains a championship, or every mistake in it by cell, and
`export` writes the self-contained equivalent; `podium up` starts nothing on a broken one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from shared.organiser import load
from shared.plumbing.settings import DEMO_CHAMPIONSHIP
from tests.support.workbooks import small_folder, sound_rows

PODIUM = [sys.executable, "-m", "services"]


def podium(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PODIUM_")}
    return subprocess.run(
        [*PODIUM, *args], capture_output=True, text=True, env=env, timeout=60, check=False
    )


def test_check_summarises_the_demo() -> None:
    checked = podium("championship", "check", str(DEMO_CHAMPIONSHIP))
    assert checked.returncode == 0, checked.stderr
    out = checked.stdout
    assert out.startswith("TurkicSkills 2025 (turkicskills-2025) · Aktau, Kazakhstan")
    assert "8 skills, 98 aspects (67 measurement, 31 judgement)" in out
    assert "Mobile Robotics (mobile-robotics): 9 competitors, 10 experts, chief expert" in out
    assert "    A1     Robot build" in out and "15.00  2 M, 0 J  day C1" in out
    assert "days of marking: C1 (4 aspects), C2 (3 aspects), C3 (5 aspects)" in out
    assert "people by member and role:" in out
    assert "  all                                72           80            8            2" in out


def test_check_lists_every_problem_by_cell_and_fails(tmp_path: Path) -> None:
    rows = sound_rows()
    rows[8][8] = "1,5"
    path = small_folder(tmp_path, rows)
    checked = podium("championship", "check", str(path))
    assert checked.returncode == 1
    assert checked.stdout == ""
    assert (
        'schemes/web-tech.xlsx: Marking Scheme!I13: max mark "1,5" is not a number (write 1.5)'
        in checked.stderr
    )


def test_export_writes_the_self_contained_equivalent(tmp_path: Path) -> None:
    path = small_folder(tmp_path / "folder")
    target = tmp_path / "mini.json"
    exported = podium("championship", "export", str(path), "-o", str(target))
    assert exported.returncode == 0, exported.stderr
    assert load(target) == load(path)
    assert podium("championship", "export", str(target)).stdout == target.read_text()


def test_podium_up_starts_nothing_on_a_broken_folder(tmp_path: Path) -> None:
    people = tmp_path / "folder"
    path = small_folder(people)
    (people / "people.xlsx").unlink()
    data = tmp_path / "data"
    started = podium("up", "--championship", str(path), "--data-dir", str(data))
    assert started.returncode == 2
    assert "people.xlsx: no such file" in started.stderr
    assert not (data / "nats").exists() and not (data / "championship.json").exists()
