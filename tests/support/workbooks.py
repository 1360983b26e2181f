"""Organisers' folders for tests: a championship TOML, CIS marking-scheme workbooks and a
people list, written with openpyxl (and the csv module) the way organisers' tools write them.

A scheme is a list of rows under the CIS header; `small_folder` writes a sound one that tests
then break one thing at a time.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

HEADER = [
    "Sub Criterion ID",
    "Sub Criterion Name or Description",
    "Aspect Type M = Meas J = Judg",
    "Aspect - Description",
    "Judg Score",
    "Extra Aspect Description (Meas or Judg) OR Judgement Score Description (Judg only)",
    "Requirement (Meas only)",
    "WSOS Section",
    "Max Mark",
    "Day of Marking",
]
# Where the header stands: below a title, as CIS exports it (rows 1 and 2, then a blank).
HEADER_ROW = 4
Row = list[Any]


def sub(sub_id: str, name: str, total: float | str | None = None) -> Row:
    return [sub_id, name, None, None, None, None, None, None, total]


def measurement(description: str, mark: float | str, requirement: str = "", day: str = "C1") -> Row:
    return [None, None, "M", description, None, None, requirement or None, 1, mark, day]


def judgement(description: str, mark: float | str, day: str = "C1") -> Row:
    return [None, None, "J", description, None, None, None, 2, mark, day]


def score(value: int | str, text: str) -> Row:
    return [None, None, None, None, value, text]


def judged(description: str, mark: float | str, day: str = "C1") -> list[Row]:
    """A judgement aspect with the descriptions of its four scores below it."""
    return [judgement(description, mark, day)] + [
        score(s, f"{description}: score {s}") for s in range(4)
    ]


def sound_rows() -> list[Row]:
    """Web Technologies in two criteria: 60 and 40 marks, judgement and measurement."""
    return [
        sub("A1", "Layout", 30),
        measurement("Page matches the wireframe", 20, "Every block in place", "C1"),
        *judged("Visual quality", 10, "C1"),
        sub("A2", "Forms", 30),
        measurement("Form validation", 12.5, "Every field checked", "C2"),
        measurement("Keyboard gallery", "17.5", "Arrow keys work", "C2"),
        sub("B1", "API", 40),
        measurement("REST fields", 25, "All fields", "C3"),
        *judged("Code quality", 15, "C3"),
    ]


def scheme_workbook(
    path: Path,
    rows: Sequence[Row],
    header: Sequence[Any] = tuple(HEADER),
    header_row: int = HEADER_ROW,
    sheet: str = "Marking Scheme",
) -> None:
    book = Workbook()
    title = book.active
    assert isinstance(title, Worksheet)
    title.title = "Summary"
    title.append(["Criteria and marks: not the scheme"])
    scheme = book.create_sheet(sheet)
    scheme.append(["Web Technologies"])
    scheme.append(["Marking Scheme"])
    for _ in range(header_row - 3):
        scheme.append([])
    scheme.append(list(header))
    for row in rows:
        scheme.append(list(row))
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


PEOPLE_HEADER = ["id", "name", "member", "skill", "role", "team", "status"]
# Names in the members' own scripts: Kazakh, Turkish, Azerbaijani, Hungarian, Russian.
PEOPLE: list[list[str]] = [
    ["KZ-WT-1", "Айгерім Сәтбаева", "KZ", "web-tech", "competitor", "", ""],
    ["TR-WT-1", "Ayşe Yılmaz", "TR", "web-tech", "competitor", "", ""],
    ["AZ-WT-1", "Elvin Məmmədov", "AZ", "web-tech", "competitor", "", "withdrawn"],
    ["HU-WT-1", "Kovács Bence", "HU", "web-tech", "competitor", "Kovács Bence; Varga Dóra", ""],
    ["C-WT", "Tóth Levente", "HU", "web-tech", "chief", "", ""],
    ["E-KZ-WT", "Дәулет Омаров", "KZ", "web-tech", "expert", "", ""],
    ["E-TR-WT", "Mehmet Kaya", "TR", "web-tech", "expert", "", ""],
    ["E-AZ-WT", "Rəşad Quliyev", "AZ", "web-tech", "expert", "", ""],
    ["O-1", "Сергей Иванов", "KZ", "", "organizer", "", ""],
]


def people_workbook(path: Path, rows: Sequence[Sequence[Any]], header: Sequence[str]) -> None:
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.title = "People"
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    book.save(path)


def people_csv(
    path: Path,
    rows: Sequence[Sequence[Any]],
    header: Sequence[str],
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> None:
    """As a spreadsheet program saves one: cells quoted where they hold the delimiter."""
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter).writerows([header, *rows])
    path.write_bytes(text.getvalue().encode(encoding))


def championship_toml(people: str = "people.xlsx", extra_skill: str = "") -> str:
    members = [("KZ", "Kazakhstan"), ("TR", "Türkiye"), ("AZ", "Azerbaijan"), ("HU", "Hungary")]
    lines = [
        'id = "mini-2025"',
        'name = "Mini 2025"',
        'languages = ["en", "kk", "ru"]',
        f"people = {json.dumps(people)}",
    ]
    for code, name in members:
        lines += [
            "[[members]]",
            f'code = "{code}"',
            f"name = {json.dumps(name, ensure_ascii=False)}",
        ]
    lines += [
        "[[skills]]",
        'id = "web-tech"',
        'name = "Web Technologies"',
        'marking_scheme = "schemes/web-tech.xlsx"',
        'criteria_names = { A = "Design", B = "Back end" }',
        extra_skill,
    ]
    return "\n".join(lines) + "\n"


def small_folder(
    folder: Path,
    rows: Sequence[Row] | None = None,
    people: Sequence[Sequence[Any]] | None = None,
) -> Path:
    """A sound organisers' folder; returns the path of its championship.toml."""
    folder.mkdir(parents=True, exist_ok=True)
    scheme_workbook(folder / "schemes" / "web-tech.xlsx", sound_rows() if rows is None else rows)
    people_workbook(folder / "people.xlsx", PEOPLE if people is None else people, PEOPLE_HEADER)
    path = folder / "championship.toml"
    path.write_text(championship_toml(), encoding="utf-8")
    return path
