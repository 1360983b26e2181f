"""`podium publish` and `podium certificates` after a marking day, against real NATS and Redis
with ranking running: one skill final, one live. The site's `results.json` is the stored
standings with public names, and a minor's name without consent is in no file of the site,
while her certificate carries it in full."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import msgspec
import pytest
from pypdf import PdfReader

from services.tools.cli import main
from shared.championship import Championship, parse
from shared.events import Standings
from shared.plumbing.settings import Settings
from tests.support.marking_day import ranked_day
from tests.support.people import demo

# Planted: a minor on the first day, without consent (initials only in public), and an adult
# who refused consent; both names appear nowhere else in the championship.
MINOR = "Әсемгүл Жасырынқызы"
REFUSED = "Zülfiyyə Gizlinova"


def planted(tmp_path: Path) -> tuple[Championship, Path]:
    raw = json.loads(msgspec.json.encode(demo()))
    raw["starts"], raw["ends"] = "2025-10-08", "2025-10-11"
    # Everyone else published by name: no birth date or consent but the planted ones.
    for competitor in raw["competitors"]:
        competitor.pop("birth_date", None)
        competitor.pop("consent", None)
    final, live = raw["skills"][0]["id"], raw["skills"][1]["id"]
    first = next(c for c in raw["competitors"] if c["skill"] == final)
    first |= {"name": MINOR, "birth_date": "2009-03-01"}
    second = next(c for c in raw["competitors"] if c["skill"] == live)
    second |= {"name": REFUSED, "consent": False}
    path = tmp_path / "championship.json"
    path.write_bytes(msgspec.json.encode(raw))
    return parse(raw), path


@pytest.fixture
def day(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> tuple[Settings, Championship]:
    """The planted championship, and the PODIUM_* variables the commands read."""
    championship, path = planted(tmp_path)
    monkeypatch.setenv("PODIUM_NATS_URL", settings.nats_url)
    monkeypatch.setenv("PODIUM_REDIS_URL", settings.redis_url)
    monkeypatch.setenv("PODIUM_CHAMPIONSHIP", str(path))
    return msgspec.structs.replace(settings, championship=str(path)), championship


async def podium(*argv: str) -> int:
    return await asyncio.to_thread(main, list(argv))


def expected_rows(standings: Standings) -> list[dict[str, object]]:
    """The stored rows as the public may see them, written out by hand: initials for the
    minor, everyone else as named (the demo publishes full names)."""
    rows: list[dict[str, object]] = json.loads(msgspec.json.encode(standings.rows))
    for row in rows:
        if row["name"] == MINOR:
            row["name"] = "Ә. Ж."
    return rows


def every_text(folder: Path) -> str:
    return "\n".join(p.read_text("utf-8") for p in sorted(folder.rglob("*")) if p.is_file())


async def test_the_site_after_a_day_is_the_final_standings_with_public_names_only(
    day: tuple[Settings, Championship], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings, championship = day
    final, live = championship.skills[0], championship.skills[1]
    boards = await ranked_day(settings, championship, {final.id, live.id}, {final.id})
    capsys.readouterr()

    assert await podium("publish", "-o", str(tmp_path / "site")) == 0
    said = capsys.readouterr()
    assert f"podium: {live.id}: not final (live)" in said.err and "Traceback" not in said.err
    assert not any(line.startswith(f"podium: {final.id}:") for line in said.err.splitlines())
    assert said.err.splitlines()[-1].startswith("podium: 649 pages, 1 of 8 skills final")

    data = json.loads((tmp_path / "site" / "results.json").read_text("utf-8"))
    assert data["championship"] == {"id": championship.id, "name": championship.name}
    skills = {s["id"]: s for s in data["skills"]}
    assert skills[final.id]["final"] and len(skills[final.id]["rows"]) == 9
    assert skills[final.id]["rows"] == expected_rows(boards[final.id])
    assert (skills[live.id]["final"], skills[live.id]["rows"]) == (False, [])
    medals = {line["member"]: line for line in data["medals"]["table"]}
    won = [r for r in boards[final.id].rows if r.medal in ("gold", "silver", "bronze")]
    assert sum(m["gold"] + m["silver"] + m["bronze"] for m in medals.values()) == len(won)

    site = every_text(tmp_path / "site")
    for hidden in (MINOR, REFUSED, MINOR.split()[0], REFUSED.split()[1]):
        assert hidden not in site
    assert "Ә. Ж." in site and "Z. G." in site


async def test_certificates_of_the_final_skill_carry_full_names(
    day: tuple[Settings, Championship], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings, championship = day
    final, live = championship.skills[0], championship.skills[1]
    boards = await ranked_day(settings, championship, {final.id, live.id}, {final.id})

    out = tmp_path / "certificates"
    assert await podium("certificates", "--skill", live.id, "-o", str(out)) == 2
    assert f"podium: {live.id}: not final" in capsys.readouterr().err
    assert not out.exists()

    assert await podium("certificates", "--lang", "kk", "-o", str(out)) == 0
    assert sorted(p.name for p in out.iterdir()) == ["certificates.txt", f"{final.id}.pdf"]
    pages = [p.extract_text() for p in PdfReader(out / f"{final.id}.pdf").pages]
    names = [r.name for r in boards[final.id].rows if r.status != "absent"]
    assert [text.splitlines()[3] for text in pages] == names and MINOR in names
    assert all(championship.name in text and final.name in text for text in pages)


async def test_before_any_standings_the_site_says_so_and_no_certificate_is_made(
    day: tuple[Settings, Championship], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, championship = day
    assert await podium("publish", "-o", str(tmp_path / "site")) == 0
    said = capsys.readouterr().err.splitlines()
    assert said[:-1] == [f"podium: {s.id}: no standings yet" for s in championship.skills]
    data = json.loads((tmp_path / "site" / "results.json").read_text("utf-8"))
    assert [s["final"] for s in data["skills"]] == [False] * len(championship.skills)

    assert await podium("certificates", "-o", str(tmp_path / "certificates")) == 2
    assert (
        capsys.readouterr().err.splitlines()[-1] == "podium: no final skill yet: nothing to certify"
    )
    assert not (tmp_path / "certificates").exists()


async def test_without_redis_both_commands_say_so_and_write_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PODIUM_REDIS_URL", "redis://127.0.0.1:9/0")
    for command in ("publish", "certificates"):
        assert await podium(command, "-o", str(tmp_path / command)) == 2
        error = capsys.readouterr().err
        assert (
            error.startswith("podium: cannot read the standings from Redis")
            and "Traceback" not in error
        )
    assert await asyncio.to_thread(lambda: list(tmp_path.iterdir())) == []
