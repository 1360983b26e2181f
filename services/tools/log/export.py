"""`podium export`: the results and the medal table (CSV, XLSX, JSON) and the audit log
(NDJSON).

The sheets' rows are built by pure functions (`sheets`); reading Redis and the event log and
writing files are kept apart from them, so a sheet's shape is checked without any server.
"""

from __future__ import annotations

import contextlib
import csv
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TextIO

import msgspec
from nats.aio.msg import Msg
from redis.exceptions import RedisError

from services.tools.log.reader import connected, read_commands
from services.tools.log.sheets import (
    ExportError,
    Layout,
    MedalLine,
    ResultRow,
    ceremony_rows,
    columns,
    medal_lines,
    provisional,
    result_rows,
)
from shared import subjects
from shared.championship import Championship
from shared.events import (
    Command,
    MedalTable,
    Standings,
    command_decoder,
)
from shared.organiser import load
from shared.plumbing.clock import iso
from shared.plumbing.connections import make_redis
from shared.plumbing.settings import Settings
from shared.public.view import public_championship
from shared.snapshots import stored_medals, stored_standings

Format = Literal["csv", "xlsx", "json"]

# Totals as numbers that keep their two decimals (87.20, not 87.2), as on the sheet.
_json = msgspec.json.Encoder(decimal_format="number")


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    time: str
    subject: str
    command: Command


# The audit log: pure.


def audit_line(entry: AuditEntry) -> str:
    fields = {"seq": entry.seq, "time": entry.time, "subject": entry.subject}
    return _json.encode({**fields, **msgspec.to_builtins(entry.command)}).decode() + "\n"


# Writers.


def write_csv(rows: Sequence[msgspec.Struct], out: TextIO) -> None:
    sheet = csv.writer(out)
    sheet.writerow(columns(type(rows[0])) if rows else ())
    for row in rows:
        sheet.writerow("" if v is None else v for v in msgspec.structs.astuple(row))


def write_json(rows: Sequence[msgspec.Struct] | MedalTable, out: TextIO) -> None:
    out.write(msgspec.json.format(_json.encode(rows).decode(), indent=2) + "\n")


def write_xlsx(rows: Sequence[msgspec.Struct], path: Path, title: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has its first sheet
    sheet.title = title
    header = columns(type(rows[0])) if rows else ()
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    # Totals keep their two decimals on screen (87.20), as on the results sheet.
    cents = [
        i + 1
        for i, name in enumerate(header)
        if name in ("total", "average_points", "average_scale")
    ]
    for row in rows:
        sheet.append(msgspec.structs.astuple(row))
        for column in cents:
            sheet.cell(sheet.max_row, column).number_format = "0.00"
    sheet.freeze_panes = "A2"
    book.save(path)


def write(rows: Sequence[msgspec.Struct], form: Format, output: Path | None, title: str) -> None:
    if form == "xlsx":
        assert output is not None
        with _replaced(output) as partial:
            write_xlsx(rows, partial, title)
    else:
        with opened(output) as out:
            (write_csv if form == "csv" else write_json)(rows, out)


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


async def latest_medals(settings: Settings) -> MedalTable:
    """The jury's medal table as ranking last stored it."""
    redis = make_redis(settings)
    try:
        stored = await stored_medals(redis)
    except (RedisError, OSError) as error:
        raise ExportError(f"cannot read the medal table from Redis: {error}") from error
    finally:
        await redis.aclose()
    if stored is None:
        raise ExportError("no medal table yet: has ranking started?")
    return stored.medals


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


async def export_results(
    settings: Settings,
    form: Format,
    output: Path | None,
    layout: Layout = "podium",
    public: bool = False,
) -> None:
    """The results under full names, for the organisers; `public`: under public names, for
    publishing (docs/privacy.md)."""
    if form == "xlsx" and output is None:
        raise ExportError("xlsx needs --output PATH")
    championship = load(Path(settings.championship))
    standings = await latest_standings(settings, championship)
    names = public_championship(championship) if public else None
    rows: list[ResultRow] = result_rows(championship, standings, names)
    write(rows if layout == "podium" else ceremony_rows(rows), form, output, "Results")
    unfinished = provisional(standings)
    if unfinished:
        print(f"podium: provisional, not final: {', '.join(unfinished)}", file=sys.stderr)


async def export_medals(settings: Settings, form: Format, output: Path | None) -> None:
    """The medal table as ranking stored it: a line per member; JSON is the whole table."""
    if form == "xlsx" and output is None:
        raise ExportError("xlsx needs --output PATH")
    table = await latest_medals(settings)
    if form == "json":
        with opened(output) as out:
            write_json(table, out)
    else:
        lines: list[MedalLine] = medal_lines(table)
        write(lines, form, output, "Medals")
    if table.provisional:
        print("podium: provisional, not final: the medal table", file=sys.stderr)


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
