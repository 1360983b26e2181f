"""`podium export` against real NATS and Redis: the results sheet is what ranking stored, the
audit log is what the event log holds, and totals recomputed from that log by hand agree."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import random
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import msgspec
import nats
import pytest
import redis.asyncio as aioredis
from openpyxl import load_workbook

from services.ranking.app import build
from services.tools.cli import main
from services.tools.demo.experts import PlannedMark, day_plan
from shared import subjects
from shared.events import (
    ControlCommand,
    CriterionLocked,
    MarkRecorded,
    Standings,
    VisibilityChanged,
    encoder,
    medals_decoder,
)
from shared.plumbing import keys
from shared.plumbing.clock import iso_now
from shared.plumbing.settings import Settings
from tests.support.boards import stored_boards
from tests.support.eventually import eventually
from tests.support.log import append, mark, subject_of
from tests.support.people import demo, judge_for
from tests.support.recompute import aspect_of, ranked, totals_from_audit
from tests.support.services import serving

CHAMPIONSHIP = demo()
SkillCommand = MarkRecorded | ControlCommand
SKILL, OTHER = CHAMPIONSHIP.skills[:2]
COLUMNS = [
    "position",
    "member",
    "member_name",
    "skill",
    "medal",
    "competitor",
    "competitor_name",
    "total",
    "scale",
    "skill_id",
    "status",
    "team",
]
# Enough commands that a reader taking a round trip or a timeout per message would show.
LONG_LOG = 5000
ISO_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


@pytest.fixture
def env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The PODIUM_* variables `podium export` reads, pointing at this test's servers."""
    monkeypatch.setenv("PODIUM_NATS_URL", settings.nats_url)
    monkeypatch.setenv("PODIUM_REDIS_URL", settings.redis_url)
    monkeypatch.setenv("PODIUM_CHAMPIONSHIP", settings.championship)
    return settings


async def podium_export(*argv: str) -> int:
    """The command as a person runs it; in a thread, since it runs its own event loop."""
    return await asyncio.to_thread(main, ["export", *argv])


async def wait_for_versions(settings: Settings, versions: dict[str, int]) -> None:
    """Until ranking stored, for each skill, standings that include its command `version`."""
    await eventually(
        lambda: stored_boards(settings.redis_url),
        lambda stored: all(s in stored and stored[s].version >= v for s, v in versions.items()),
        within=30,
        what=f"standings at versions {versions}",
    )


def last_seq_per_skill(commands: Sequence[SkillCommand], seqs: Sequence[int]) -> dict[str, int]:
    return {command.skill: seq for command, seq in zip(commands, seqs, strict=True)}


def expected_sheet(standings: dict[str, Standings]) -> list[dict[str, Any]]:
    """The results sheet written out by hand from the snapshots in Redis."""
    members = CHAMPIONSHIP.index.members
    return [
        {
            "position": row.rank,
            "member": row.member,
            "member_name": members[row.member].name,
            "skill": skill.name,
            "medal": row.medal,
            "competitor": row.competitor,
            "competitor_name": row.name,
            "total": row.total,
            "scale": row.scale,
            "skill_id": skill.id,
            "status": row.status,
            "team": "; ".join(row.team) or None,
        }
        for skill in CHAMPIONSHIP.skills
        for row in sorted(standings[skill.id].rows, key=lambda r: (r.rank or 0, r.competitor))
    ]


def as_csv_cells(row: dict[str, Any]) -> list[str]:
    return [
        "" if row[c] is None else f"{row[c]:.2f}" if c == "total" else str(row[c]) for c in COLUMNS
    ]


def spread_marks(skill_id: str, values: Iterable[float]) -> list[MarkRecorded]:
    """One measurement each for the skill's first competitors, with these values."""
    skill = CHAMPIONSHIP.index.skills[skill_id]
    aspect = next(a for _, a in skill.aspects if a.kind == "measurement")
    people = CHAMPIONSHIP.index.competitors_of(skill_id)
    return [
        mark(f"{skill_id}:{n}", c.id, aspect.id, judge_for(CHAMPIONSHIP, c).id, value, skill_id)
        for n, (c, value) in enumerate(zip(people, values, strict=False))
    ]


async def test_results_in_csv_json_and_xlsx_are_the_standings_in_redis(
    env: Settings, ranking: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A tie (1.5, 1.5) for the shared rank and its order by competitor id; the rest for medals.
    marks = spread_marks(SKILL.id, [2.0, 1.5, 1.5, 1.0, 0.75, 0.25])
    marks += spread_marks(OTHER.id, [3.0, 1.25])
    await wait_for_versions(env, last_seq_per_skill(marks, await append(env.nats_url, *marks)))
    capsys.readouterr()

    assert await podium_export("results", "--format", "csv") == 0
    printed = capsys.readouterr().out
    for form in ("json", "xlsx"):
        output = str(tmp_path / f"r.{form}")
        assert await podium_export("results", "--format", form, "--output", output) == 0
    expected = expected_sheet(await stored_boards(env.redis_url))

    header, *rows = list(csv.reader(io.StringIO(printed)))
    assert header == COLUMNS
    assert rows == [as_csv_cells(row) for row in expected]
    assert [r["medal"] for r in expected[:4]] == ["gold", "silver", "silver", None]
    assert [r["position"] for r in expected[:4]] == [1, 2, 2, 4]

    text = (tmp_path / "r.json").read_text(encoding="utf-8")
    assert json.loads(text) == expected
    assert list(json.loads(text)[0]) == COLUMNS
    assert all(re.fullmatch(r"\d+\.\d\d", t) for t in re.findall(r'"total": ([^,\n]+)', text))

    sheet = load_workbook(tmp_path / "r.xlsx")["Results"]
    header_cells, *cells = list(sheet.iter_rows())
    assert [c.value for c in header_cells] == COLUMNS
    assert all(c.font.bold for c in header_cells)
    assert [[c.value for c in row] for row in cells] == [list(r.values()) for r in expected]


async def test_a_skill_without_standings_is_an_error_naming_it(
    env: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    async with serving(build(env)):
        await wait_for_versions(env, {s.id: 0 for s in CHAMPIONSHIP.skills})
    missing = CHAMPIONSHIP.skills[-1].id
    client = aioredis.from_url(env.redis_url)
    await client.delete(keys.standings(missing))
    await client.aclose()
    capsys.readouterr()

    assert await podium_export("results", "--output", str(tmp_path / "r.csv")) == 2
    error = capsys.readouterr().err
    assert error.startswith("podium: ") and missing in error and SKILL.id not in error
    assert not (tmp_path / "r.csv").exists()


def test_xlsx_needs_an_output_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "results", "--format", "xlsx"]) == 2
    assert capsys.readouterr().err == "podium: xlsx needs --output PATH\n"


async def test_audit_lists_every_command_in_log_order_and_filters_by_skill(
    env: Settings, ranking: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chief = next(e for e in CHAMPIONSHIP.experts if e.role == "chief" and e.skill == OTHER.id)
    first, second = spread_marks(SKILL.id, [2.0, 1.0])
    # An id with dots: its subject writes them as '~', and the audit shows the log's subject.
    dotted = msgspec.structs.replace(spread_marks(OTHER.id, [1.5])[0], id="tablet.3:1")
    at = iso_now()
    commands: list[SkillCommand] = [
        first,
        dotted,
        CriterionLocked("lock-1", OTHER.id, "A", chief.id, at),
        msgspec.structs.replace(second, value=None, id="withdrawn"),
        VisibilityChanged("vis-1", OTHER.id, "frozen", chief.id, at),
    ]
    seqs = await append(env.nats_url, *commands)
    capsys.readouterr()

    assert await podium_export("audit") == 0
    every = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert await podium_export("audit", "--skill", OTHER.id, "--output", str(tmp_path / "a")) == 0
    other = [json.loads(line) for line in (tmp_path / "a").read_text().splitlines()]

    assert [line["seq"] for line in every] == seqs
    assert [line["time"] for line in every] == sorted(line["time"] for line in every)
    for line, command in zip(every, commands, strict=True):
        own = {k: v for k, v in line.items() if k not in ("seq", "time", "subject")}
        assert own == msgspec.to_builtins(command)
        assert ISO_TIME.match(line["time"]), line
        assert line["subject"] == subject_of(command)
    assert every[1]["subject"].endswith(".mark.tablet~3:1")
    assert [line["seq"] for line in other] == [seqs[1], seqs[2], seqs[4]]
    assert [line["type"] for line in other] == ["mark", "lock", "visibility"]

    quiet = CHAMPIONSHIP.skills[2].id
    assert await podium_export("audit", "--skill", quiet) == 0
    assert capsys.readouterr().out == ""


async def test_a_long_log_is_exported_whole_in_order_and_quickly(
    env: Settings, ranking: None, tmp_path: Path
) -> None:
    competitor = CHAMPIONSHIP.index.competitors_of(SKILL.id)[0]
    judge = judge_for(CHAMPIONSHIP, competitor).id
    aspect = next(a for _, a in SKILL.aspects if a.kind == "measurement")
    marks = [
        mark(f"long:{n}", competitor.id, aspect.id, judge, n % 5 / 4, SKILL.id)
        for n in range(LONG_LOG)
    ]
    await append_quickly(env.nats_url, marks)

    began = asyncio.get_running_loop().time()
    assert await podium_export("audit", "--output", str(tmp_path / "audit.ndjson")) == 0
    seconds = asyncio.get_running_loop().time() - began

    lines = (tmp_path / "audit.ndjson").read_text().splitlines()
    assert [json.loads(line)["id"] for line in lines] == [m.id for m in marks]
    assert seconds < 10, f"{LONG_LOG} commands took {seconds:.1f} s"


async def append_quickly(nats_url: str, marks: Sequence[MarkRecorded]) -> None:
    """Many marks at once, each still acknowledged by the log (tests.support.log waits for
    each ack in turn, which takes seconds for thousands under sync_interval always)."""
    connection = await nats.connect(nats_url)
    try:
        js = connection.jetstream()
        for m in marks:
            await js.publish_async(subjects.mark(m.skill, m.id), encoder.encode(m))
        await js.publish_async_completed()
    finally:
        await connection.close()


# The independent recomputation: a realistic marking session, corrected and withdrawn in
# places, totalled by hand from the audit log alone and compared with the exported sheet.


def session(seed: int) -> list[MarkRecorded]:
    """Most of the planned marks of two skills, then corrections, judges' changes of mind
    (some open a dispute), a late fourth judge, and withdrawals that change a total."""
    rng = random.Random(seed)
    two = {SKILL.id, OTHER.id}
    planned = [
        m
        for m in day_plan(CHAMPIONSHIP, seed)
        if CHAMPIONSHIP.index.competitors[m.competitor].skill in two
    ]
    kept = sorted(rng.sample(range(len(planned)), 300))
    marks = [as_recorded(planned[i].id, planned[i]) for i in kept]
    # Counted panels with a score above 0: a withdrawal there, or a fourth judge, must move
    # the total, so a recomputation that ignored them would disagree.
    withdrawn_panel, joined_panel, *panels = [
        p for p in full_panels(marks) if any(m.value for m in p)
    ]
    withdrawn_measure, *measured = [m for m in marks if kind_of(m) == "measurement" and m.value]
    later: list[MarkRecorded] = []
    for n, m in enumerate(rng.sample(measured, 8)):
        value = round(rng.uniform(0, aspect_of(m.skill, m.aspect).max_mark) * 4) / 4
        later.append(msgspec.structs.replace(m, id=f"fix.{n}", value=value))
    for n, m in enumerate(rng.sample([m for p in panels for m in p], 6)):
        # A change of 2 or 3 points disputes the panel unless the others move too.
        value = 3.0 if (m.value or 0) < 2 else 0.0
        later.append(msgspec.structs.replace(m, id=f"mind.{n}", value=value))
    later.append(fourth_judge(joined_panel[0], marks))
    later.append(msgspec.structs.replace(withdrawn_panel[0], id="withdraw.j", value=None))
    later.append(msgspec.structs.replace(withdrawn_measure, id="withdraw.m", value=None))
    return marks + later


def full_panels(marks: Sequence[MarkRecorded]) -> list[list[MarkRecorded]]:
    """Judgement marks grouped by (competitor, aspect), where every judge of the panel marked."""
    panels: dict[tuple[str, str], list[MarkRecorded]] = defaultdict(list)
    for m in marks:
        if kind_of(m) == "judgement":
            panels[(m.competitor, m.aspect)].append(m)
    needed = {s.id: s.rules.judges_per_aspect for s in CHAMPIONSHIP.skills}
    return [p for p in panels.values() if len(p) >= needed[p[0].skill]]


def as_recorded(mark_id: str, planned: PlannedMark) -> MarkRecorded:
    skill = CHAMPIONSHIP.index.competitors[planned.competitor].skill
    return mark(mark_id, planned.competitor, planned.aspect, planned.expert, planned.value, skill)


def kind_of(m: MarkRecorded) -> str:
    return aspect_of(m.skill, m.aspect).kind


def fourth_judge(judged: MarkRecorded, marks: Sequence[MarkRecorded]) -> MarkRecorded:
    panel = {
        m.expert for m in marks if (m.competitor, m.aspect) == (judged.competitor, judged.aspect)
    }
    competitor = CHAMPIONSHIP.index.competitors[judged.competitor]
    expert = next(
        e
        for e in CHAMPIONSHIP.experts
        if e.skill == judged.skill and e.member != competitor.member and e.id not in panel
    )
    return msgspec.structs.replace(judged, id="fourth", expert=expert.id)


async def test_totals_recomputed_by_hand_from_the_audit_log_match_the_results(
    env: Settings, ranking: None, tmp_path: Path
) -> None:
    marks = session(seed=2025)
    await wait_for_versions(env, last_seq_per_skill(marks, await append(env.nats_url, *marks)))

    assert await podium_export("audit", "--output", str(tmp_path / "audit.ndjson")) == 0
    sheet_file = str(tmp_path / "r.json")
    assert await podium_export("results", "--format", "json", "--output", sheet_file) == 0
    lines = [json.loads(x) for x in (tmp_path / "audit.ndjson").read_text().splitlines()]
    sheet = json.loads((tmp_path / "r.json").read_text(), parse_float=Decimal)

    assert len(lines) == len(marks)
    totals = totals_from_audit(lines)
    for skill in (SKILL, OTHER):
        exported = [
            (row["position"], row["competitor"], row["total"])
            for row in sheet
            if row["skill_id"] == skill.id
        ]
        assert exported == ranked(skill.id, totals)
    # The session reached the rules' corners, or agreeing would prove less than it seems.
    stored = await stored_boards(env.redis_url)
    assert any(stored[s.id].disputed for s in (SKILL, OTHER))
    assert any(stored[s.id].pending for s in (SKILL, OTHER))


async def test_the_medal_table_and_the_ceremony_layout_are_what_ranking_stored(
    env: Settings, ranking: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    marks = spread_marks(SKILL.id, [2.0, 1.5, 1.0])
    await wait_for_versions(env, last_seq_per_skill(marks, await append(env.nats_url, *marks)))
    client = aioredis.from_url(env.redis_url)
    try:
        stored = cast(bytes, await client.hget(keys.MEDALS, "data"))
        table = medals_decoder.decode(stored).medals
    finally:
        await client.aclose()
    capsys.readouterr()

    assert await podium_export("medals", "--format", "csv") == 0
    header, *lines = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert header[-5:] == [
        "entrants",
        "average_points",
        "average_scale",
        "best_of_nation",
        "best_overall",
    ]
    assert [line[0] for line in lines] == [m.member for m in table.table]
    assert [int(line[header.index("entrants")]) for line in lines] == [
        m.entrants for m in table.table
    ]
    output = tmp_path / "medals.json"
    assert await podium_export("medals", "--format", "json", "--output", str(output)) == 0
    assert json.loads(output.read_text()) == json.loads(msgspec.json.encode(table))

    assert await podium_export("results", "--layout", "cis") == 0
    header, first, *_ = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert header == [
        "Position",
        "Medal",
        "Member",
        "Member Name",
        "First Name",
        "Last Name",
        "Skill",
        "Scale Score",
    ]
    winner = CHAMPIONSHIP.index.competitors[table.best_overall[0]]
    assert first[:2] == ["1", "Gold"]
    assert " ".join(first[4:6]) == winner.name
