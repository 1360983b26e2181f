"""The organisers' spreadsheets as rows of cells, each cell with a place an organiser can find.

Workbooks (.xlsx) through openpyxl in read-only mode, CSV through the standard library. A
place reads like Excel's own references: `schemes/web-tech.xlsx: Marking Scheme!F27`.
"""

from __future__ import annotations

import csv
import datetime
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv",)
# Past this a "spreadsheet" is not a championship's: refuse it rather than read for minutes.
MAX_ROWS = 20_000
DELIMITERS = ",;\t"


class TableError(Exception):
    """A file that cannot be read as a table at all; `str()` says why, in plain words."""


@dataclass(frozen=True)
class Sheet:
    """One sheet (or a CSV file): its non-blank rows, numbered from 1 as the file shows them."""

    file: str  # as the championship file names it
    name: str | None  # None for a CSV file
    rows: tuple[tuple[int, tuple[Any, ...]], ...]

    def where(self) -> str:
        return self.file if self.name is None else f"{self.file}: {self.name}"

    def cell(self, column: int, row: int) -> str:
        """The place of a cell; `column` counts from 0."""
        reference = f"{column_letter(column)}{row}"
        return f"{self.file}: {reference}" if self.name is None else f"{self.where()}!{reference}"

    def row(self, row: int) -> str:
        return f"{self.where()}, row {row}"


def column_letter(column: int) -> str:
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def read(path: Path, shown: str) -> list[Sheet]:
    """Every sheet of a workbook, or the one table of a CSV file."""
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        return read_workbook(path, shown)
    if suffix in CSV_SUFFIXES:
        return [read_csv(path, shown)]
    raise TableError(f"{suffix or 'a file without a suffix'} is not a workbook (.xlsx) or .csv")


def read_workbook(path: Path, shown: str) -> list[Sheet]:
    # openpyxl takes seconds to import on a busy machine: only when there is a workbook to read.
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # data_only: a formula's value as Excel last saved it, not the formula.
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError as error:
        raise TableError("no such file") from error
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise TableError(f"not an .xlsx workbook Excel can open ({error})") from error
    try:
        sheets = []
        for worksheet in book.worksheets:
            # Some programs write a wrong size into the file; read what is there instead.
            worksheet.reset_dimensions()
            sheets.append(
                Sheet(shown, worksheet.title, _numbered(worksheet.iter_rows(values_only=True)))
            )
        return sheets
    finally:
        book.close()


def read_csv(path: Path, shown: str) -> Sheet:
    try:
        data = path.read_bytes()
    except FileNotFoundError as error:
        raise TableError("no such file") from error
    except OSError as error:
        raise TableError(f"cannot read it ({error.strerror})") from error
    text = decoded(data)
    lines = text.splitlines()
    first = lines[0] if lines else ""
    # Excel writes ";" between cells where the decimal mark is a comma (Russian, Turkish,
    # Hungarian, Azerbaijani settings), "," elsewhere, and tabs for "Unicode text".
    delimiter = max(DELIMITERS, key=first.count)
    rows = csv.reader(lines, delimiter=delimiter)
    return Sheet(shown, None, _numbered(tuple(row) for row in rows))


def decoded(data: bytes) -> str:
    """UTF-8 with or without a BOM, or UTF-16 with its BOM; any other encoding is refused with
    where its first foreign byte is, rather than read into garbled names."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise TableError(f"not valid UTF-16 text ({error.reason})") from error
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise TableError(
            f"not UTF-8 text: byte 0x{data[error.start]:02X} on line {line} is from another "
            'encoding (Windows-1251, Latin-1?); save the file as "CSV UTF-8"'
        ) from error


def _numbered(rows: Iterable[Sequence[Any]]) -> tuple[tuple[int, tuple[Any, ...]], ...]:
    found = []
    for number, row in enumerate(rows, 1):
        cells = tuple(row)
        if any(text(cell) for cell in cells):
            found.append((number, cells))
            if len(found) > MAX_ROWS:
                raise TableError(f"more than {MAX_ROWS} rows: is this the right file?")
    return tuple(found)


def at(row: Sequence[Any], column: int | None) -> Any:
    if column is None or column >= len(row):
        return None
    return row[column]


def text(value: Any) -> str:
    """A cell as the organiser sees it: numbers without a needless ".0", dates as dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return " ".join(str(value).split())


def heading(value: Any) -> str:
    """A column heading compared by its words alone: case, spaces, line breaks and
    punctuation do not count (`Aspect - Description` is `aspect description`)."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text(value).lower()).split())


DECIMAL = re.compile(r"^[0-9]+(\.[0-9]+)?$")


def number(value: Any) -> float | None:
    """A number cell, or text holding a plain decimal number; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and DECIMAL.match(value.strip()):
        return float(value.strip())
    return None


def garbled(value: str) -> bool:
    """Whether text looks like UTF-8 that was once read in another encoding and saved again
    (Cyrillic names turned into runs of `Ð` and `Ñ`), which no name in the members' own
    scripts does: the text, written back in that encoding, reads as UTF-8 letters."""
    if value.isascii():
        return False
    for encoding in ("cp1252", "cp1251", "latin-1"):
        try:
            original = value.encode(encoding).decode("utf-8")
        except UnicodeError:
            continue
        if original != value and any(not ch.isascii() and ch.isalpha() for ch in original):
            return True
    return False
