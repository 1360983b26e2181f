"""`podium export`: the results sheet (CSV, XLSX, JSON) and the audit log (NDJSON).

The sheet's rows are built by pure functions; reading Redis and the event log and writing
files are kept apart from them, so the sheet's shape is checked without any server.
"""

from __future__ import annotations

import contextlib
import csv
import os
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Literal, TextIO

import msgspec
from nats.aio.msg import Msg
from redis.exceptions import RedisError

from services.tools.logreader import LogError, connected, read_commands
from shared import subjects
from shared.championship import Championship, Skill, load
from shared.clock import iso
from shared.connections import make_redis
from shared.events import (
    Command,
    Medal,
    Standings,
    StandingsRow,
    command_decoder,
)
from shared.settings import Settings
from shared.snapshots import stored_standings

Format = Literal["csv", "xlsx", "json"]
SHEET = "Results"
CENT = Decimal("0.01")

# Totals as numbers that keep their two decimals (87.20, not 87.2), as on the sheet.
_json = msgspec.json.Encoder(decimal_format="number")


class ExportError(LogError):
    """What stops an export; the command line prints it and exits with 2."""


class ResultRow(msgspec.Struct, frozen=True):
    """One competitor's line of the results sheet; the fields are its columns, in order."""

    position: int | None
    member: str
    member_name: str
    skill: str
    medal: Medal | None
    competitor: str
    competitor_name: str
    total: Decimal
    scale: int | None
    skill_id: str


COLUMNS = tuple(f.name for f in msgspec.structs.fields(ResultRow))


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    time: str
    subject: str
    command: Command


# The results sheet: pure.


def result_rows(
    championship: Championship, standings_by_skill: Mapping[str, Standings]
) -> list[ResultRow]:
    """Every competitor of every skill: skills in championship order, then by place.

    A skill without standings stops the export, since a sheet silently missing a skill
    would be read as complete.
    """
    missing = [s.id for s in championship.skills if s.id not in standings_by_skill]
    if missing:
        raise ExportError(f"no standings yet for {', '.join(missing)}: has ranking started?")
    return [
        row
        for skill in championship.skills
        for row in sorted(
            (_result_row(championship, skill, r) for r in standings_by_skill[skill.id].rows),
            key=_place,
        )
    ]


def _result_row(championship: Championship, skill: Skill, row: StandingsRow) -> ResultRow:
    member = championship.index.members.get(row.member)
    return ResultRow(
        position=row.rank,
        member=row.member,
        member_name=member.name if member else "",
        skill=skill.name,
        medal=row.medal,
        competitor=row.competitor,
        competitor_name=row.name,
        # The standings hold the total already rounded to cents; repr gives back that decimal.
        total=Decimal(repr(row.total)).quantize(CENT),
        scale=row.scale,
        skill_id=skill.id,
    )


def _place(row: ResultRow) -> tuple[bool, int, str]:
    return row.position is None, row.position or 0, row.competitor


def provisional(standings_by_skill: Mapping[str, Standings]) -> list[str]:
    """Skills whose results are not final yet (docs/rules.md: they must say so)."""
    return [skill for skill, s in standings_by_skill.items() if s.provisional]


def audit_line(entry: AuditEntry) -> str:
    fields = {"seq": entry.seq, "time": entry.time, "subject": entry.subject}
    return _json.encode({**fields, **msgspec.to_builtins(entry.command)}).decode() + "\n"


# Writers.


def write_csv(rows: Sequence[ResultRow], out: TextIO) -> None:
    sheet = csv.writer(out)
    sheet.writerow(COLUMNS)
    for row in rows:
        sheet.writerow("" if v is None else v for v in msgspec.structs.astuple(row))


def write_json(rows: Sequence[ResultRow], out: TextIO) -> None:
    out.write(msgspec.json.format(_json.encode(rows).decode(), indent=2) + "\n")


def write_xlsx(rows: Sequence[ResultRow], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has its first sheet
    sheet.title = SHEET
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    total_column = COLUMNS.index("total") + 1
    for row in rows:
        sheet.append(msgspec.structs.astuple(row))
        sheet.cell(sheet.max_row, total_column).number_format = "0.00"
    sheet.freeze_panes = "A2"
    book.save(path)


@contextlib.contextmanager
def opened(output: Path | None) -> Iterator[TextIO]:
    """The file to write, or stdout without one.

    A file appears only once complete, so an export that failed halfway leaves no sheet
    that looks whole.
    """
    if output is None:
        yield sys.stdout
        return
    with _replaced(output) as partial, partial.open("w", encoding="utf-8", newline="") as out:
        yield out


@contextlib.contextmanager
def _replaced(output: Path) -> Iterator[Path]:
    handle, name = tempfile.mkstemp(
        prefix=f".{output.name}.", suffix=output.suffix, dir=output.parent
    )
    os.close(handle)
    partial = Path(name)
    try:
        yield partial
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)


# Readers.


async def latest_standings(settings: Settings, championship: Championship) -> dict[str, Standings]:
    """Each skill's latest snapshot in Redis; a skill without one is left out."""
    redis = make_redis(settings)
    try:
        found = await stored_standings(redis, [skill.id for skill in championship.skills])
    except (RedisError, OSError) as error:
        raise ExportError(f"cannot read the standings from Redis: {error}") from error
    finally:
        await redis.aclose()
    return {snapshot.standings.skill: snapshot.standings for snapshot in found}


def audit_entry(message: Msg, seq: int) -> AuditEntry:
    return AuditEntry(
        seq=seq,
        time=iso(message.metadata.timestamp.timestamp()),
        subject=message.subject,
        command=_decoded(message.data, seq),
    )


def _decoded(data: bytes, seq: int) -> Command:
    try:
        command: Command = command_decoder.decode(data)
    except msgspec.DecodeError as error:
        raise ExportError(f"command {seq} in the log cannot be read: {error}") from error
    return command


# What the command line runs.


async def export_results(settings: Settings, form: Format, output: Path | None) -> None:
    if form == "xlsx" and output is None:
        raise ExportError("xlsx needs --output PATH")
    championship = load(Path(settings.championship))
    standings = await latest_standings(settings, championship)
    rows = result_rows(championship, standings)
    if form == "xlsx":
        assert output is not None
        with _replaced(output) as partial:
            write_xlsx(rows, partial)
    else:
        with opened(output) as out:
            (write_csv if form == "csv" else write_json)(rows, out)
    unfinished = provisional(standings)
    if unfinished:
        print(f"podium: provisional, not final: {', '.join(unfinished)}", file=sys.stderr)


async def export_audit(settings: Settings, skill: str | None, output: Path | None) -> None:
    championship = load(Path(settings.championship))
    if skill is not None and skill not in championship.index.skills:
        raise ExportError(f"no skill {skill!r} in {championship.name}")
    subject = subjects.commands(skill) if skill else subjects.COMMANDS_ALL
    async with connected(settings.nats_url) as client:
        with opened(output) as out:

            def take(message: Msg, seq: int, pending: int) -> None:
                out.write(audit_line(audit_entry(message, seq)))

            await read_commands(client.jetstream(), subject, take)
