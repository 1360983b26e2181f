"""The columns of a CIS marking scheme, and the header row that names them: the scheme's sheet
is the first whose header row, within its first rows, names the columns an aspect needs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from shared.organiser.tables import Sheet, heading
from shared.schema_check import Problem

HEADER_ROWS = 10

# The columns, by the names CIS writes (first) and the shorter ones people type.
COLUMNS: dict[str, tuple[str, ...]] = {
    "sub_criterion": ("Sub Criterion ID", "Sub-Criterion ID", "Sub Criteria ID", "Sub Criterion"),
    "sub_criterion_name": (
        "Sub Criterion Name or Description",
        "Sub Criterion Name",
        "Sub Criterion Description",
    ),
    "kind": ("Aspect Type", "Type"),
    "description": ("Aspect - Description", "Aspect Description", "Aspect"),
    "score": ("Judg Score", "Judgement Score", "Judgment Score", "Score"),
    "extra": (
        "Extra Aspect Description (Meas or Judg) OR Judgement Score Description (Judg only)",
        "Extra Aspect Description",
        "Judgement Score Description",
    ),
    "requirement": ("Requirement (Meas only)", "Requirement"),
    "wsos_section": ("WSOS Section", "WSSS Section", "WSOS"),
    "max_mark": ("Max Mark", "Max Marks", "Maximum Mark"),
    "day": ("Day of Marking", "Marking Day", "Day"),
}
REQUIRED = ("sub_criterion", "kind", "description", "max_mark")
# Headings that count by how they begin: CIS writes "Aspect Type M = Meas J = Judg", and
# "Extra Aspect Description (Meas or Judg) OR ..." comes in several wordings.
PREFIXES = {
    "aspect type": "kind",
    "extra aspect description": "extra",
    "requirement": "requirement",
}
_NAMES = {heading(name): key for key, names in COLUMNS.items() for name in names}


def column_of(value: Any) -> str | None:
    """Which CIS column a heading names, if any."""
    words = heading(value)
    if words in _NAMES:
        return _NAMES[words]
    return next((key for start, key in PREFIXES.items() if words.startswith(start)), None)


def header_of(sheets: Sequence[Sheet]) -> tuple[Sheet, int, dict[str, int]] | Problem:
    """The scheme's sheet, its header row and the column of each CIS heading in it."""
    best: tuple[int, Sheet, int, dict[str, int]] | None = None
    for sheet in sheets:
        for number_, row in sheet.rows:
            if number_ > HEADER_ROWS:
                break
            columns: dict[str, int] = {}
            for index, cell in enumerate(row):
                key = column_of(cell)
                if key is not None:
                    columns.setdefault(key, index)
            have = sum(key in columns for key in REQUIRED)
            if have == len(REQUIRED):
                return sheet, number_, columns
            if have and (best is None or have > best[0]):
                best = (have, sheet, number_, columns)
    if best is not None:
        _, sheet, number_, columns = best
        missing = ", ".join(COLUMNS[key][0] for key in REQUIRED if key not in columns)
        return Problem(sheet.row(number_), f"the marking scheme's header lacks {missing}")
    if not any(sheet.rows for sheet in sheets):
        if len(sheets) == 1:
            return Problem(sheets[0].where(), "the sheet is empty")
        return Problem(sheets[0].file if sheets else "", "every sheet of the workbook is empty")
    needed = ", ".join(COLUMNS[key][0] for key in REQUIRED)
    return Problem(
        sheets[0].file,
        f"no sheet has a marking scheme header ({needed}) in its first {HEADER_ROWS} rows",
    )
