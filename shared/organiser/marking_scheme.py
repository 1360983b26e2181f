"""A skill's criteria read from a CIS marking-scheme workbook (docs/championship-files.md).

The scheme sheet is the first whose header row, within its first rows, names the CIS columns.
Below it, a row with a Sub Criterion ID starts a sub-criterion (`A1`, of criterion `A`); each
following row with an aspect type is one of its aspects (`A1.1`, `A1.2`, ...); a judgement
aspect is followed by the descriptions of scores 0, 1, 2 and 3. Every problem is reported
with its cell, and the rows that have one are left out of the criteria.

`scheme_header` finds the header, `scheme_rows` reads the rows below it; here the sub-criteria
read become the criteria a championship file writes, each part with the cell it came from.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from shared.organiser.scheme_header import header_of
from shared.organiser.scheme_rows import OPTIONAL, RowReader
from shared.organiser.tables import Sheet
from shared.schema_check import Problem

# Which column each field of an aspect comes from, to name a problem's cell.
FIELD_COLUMNS = {
    "id": "kind",
    "kind": "kind",
    "max_mark": "max_mark",
    "description": "description",
    "descriptors": "kind",
    **{name: key for key, name in OPTIONAL.items()},
}


@dataclass
class Scheme:
    """What a workbook gave: raw criteria (as a championship file writes them), where each
    part came from (paths relative to the skill: `criteria[0].aspects[2].max_mark`), and
    the problems found."""

    criteria: list[dict[str, Any]] = field(default_factory=list)
    origins: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def read_scheme(sheets: Sequence[Sheet], criteria_names: Mapping[str, str]) -> Scheme:
    found = header_of(sheets)
    if isinstance(found, Problem):
        return Scheme(problems=[found])
    sheet, header_row, columns = found
    reader = RowReader(sheet, columns)
    for number_, row in sheet.rows:
        if number_ > header_row:
            reader.row(number_, row)
    reader.end()
    scheme = _assembled(reader, criteria_names)
    scheme.origins["criteria"] = sheet.where()
    if not reader.subs and not reader.problems:
        reader.problems.append(Problem(sheet.where(), "no sub-criteria below the header"))
    scheme.problems = reader.problems
    return scheme


def _assembled(reader: RowReader, names: Mapping[str, str]) -> Scheme:
    """The criteria, each of the sub-criteria with its letters, in the order first met."""
    scheme = Scheme()
    criteria: dict[str, dict[str, Any]] = {}
    for sub in reader.subs:
        letters = sub.id.rstrip("0123456789")
        if letters not in criteria:
            path = f"criteria[{len(criteria)}]"
            scheme.origins[path] = reader.sheet.row(sub.row)
            scheme.origins[f"{path}.id"] = reader.cell("sub_criterion", sub.row)
            criteria[letters] = {
                "id": letters,
                "name": names.get(letters) or f"Criterion {letters}",
                "aspects": [],
                "sub_criteria": [],
            }
        criterion = criteria[letters]
        path = f"criteria[{list(criteria).index(letters)}]"
        where = f"{path}.sub_criteria[{len(criterion['sub_criteria'])}]"
        criterion["sub_criteria"].append({"id": sub.id, "name": sub.name})
        scheme.origins[where] = reader.sheet.row(sub.row)
        scheme.origins[f"{where}.id"] = reader.cell("sub_criterion", sub.row)
        scheme.origins[f"{where}.name"] = reader.cell("sub_criterion_name", sub.row)
        for row, aspect in sub.aspects:
            where = f"{path}.aspects[{len(criterion['aspects'])}]"
            criterion["aspects"].append(aspect)
            scheme.origins[where] = reader.sheet.row(row)
            for name, column in FIELD_COLUMNS.items():
                scheme.origins[f"{where}.{name}"] = reader.cell(column, row)
    scheme.criteria = list(criteria.values())
    return scheme
