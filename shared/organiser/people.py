"""The championship's people read from a registration list, a workbook or a CSV file
(docs/championship-files.md): one person a row, the header in the first row, columns by name
in any order.

Competitors become the championship's competitors; experts, chief experts and organizers
its experts. Each problem is reported with its cell, and a row that has one is left out.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from shared.organiser.tables import Sheet, at, garbled, heading, text
from shared.schema_check import Problem

COLUMNS = ("id", "name", "member", "skill", "role", "team", "status", "birth_date", "consent")
# Columns only a competitor's row fills (docs/championship-files.md).
COMPETITORS_ONLY = ("team", "status", "birth_date", "consent")
REQUIRED = ("id", "name", "member", "skill", "role")
ROLES = ("competitor", "expert", "chief", "organizer")
# British spelling, as organisers in the members' offices often write it.
ROLE_NAMES = {**{role: role for role in ROLES}, "organiser": "organizer"}
STATUSES = ("competing", "absent", "withdrawn", "non_competing")
# Consent to publish the name (docs/privacy.md): blank is "not recorded", not "no".
CONSENTS = {"yes": True, "y": True, "true": True, "no": False, "n": False, "false": False}
# Besides ISO dates (and a workbook's own date cells), the day.month.year the members write.
DOTTED_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
MAX_NAME = 200


@dataclass
class People:
    """What a registration list gave: raw competitors and experts (as a championship file
    writes them), where each came from (paths like `competitors[3].member`), the problems."""

    competitors: list[dict[str, Any]] = field(default_factory=list)
    experts: list[dict[str, Any]] = field(default_factory=list)
    origins: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def read_people(sheets: Sequence[Sheet]) -> People:
    found = _header(sheets)
    if isinstance(found, Problem):
        return People(problems=[found])
    sheet, columns = found
    people = People()
    for number, row in sheet.rows[1:]:
        _person(people, sheet, columns, number, row)
    return people


def _header(sheets: Sequence[Sheet]) -> tuple[Sheet, dict[str, int]] | Problem:
    """The first sheet whose first row names the required columns, and where each column is."""
    first: tuple[Sheet, dict[str, int]] | None = None
    for sheet in sheets:
        if not sheet.rows:
            continue
        number, row = sheet.rows[0]
        columns: dict[str, int] = {}
        for index, cell in enumerate(row):
            name = heading(cell).replace(" ", "_")
            if name in COLUMNS:
                columns.setdefault(name, index)
        if number == 1 and all(key in columns for key in REQUIRED):
            return sheet, columns
        first = first or (sheet, columns)
    if first is None:
        where = sheets[0].where() if len(sheets) == 1 else sheets[0].file
        return Problem(where, "the people list is empty")
    sheet, columns = first
    missing = ", ".join(key for key in REQUIRED if key not in columns)
    return Problem(
        sheet.row(1),
        f"the first row must be the header with the columns {', '.join(REQUIRED)} "
        f"(and team, status, birth_date, consent if used); it lacks {missing}",
    )


def _person(
    people: People, sheet: Sheet, columns: dict[str, int], number: int, row: Sequence[Any]
) -> None:
    cells = {key: text(at(row, column)) for key, column in columns.items()}
    if not any(cells.values()):
        return  # filled only in columns the championship does not use
    problems: list[Problem] = []

    def refuse(key: str, message: str) -> None:
        problems.append(Problem(sheet.cell(columns[key], number), message))

    for key, value in cells.items():
        if garbled(value):
            refuse(key, f'"{value}" looks garbled: was the file saved in another encoding?')
    role = ROLE_NAMES.get(cells["role"].lower())
    if role is None:
        shown = f'role "{cells["role"]}"' if cells["role"] else "role is missing:"
        refuse("role", f"{shown} must be {', '.join(ROLES[:-1])} or {ROLES[-1]}")
    if not ID.match(cells["id"]):
        refuse("id", _id_problem("id", cells["id"]))
    if not cells["name"]:
        refuse("name", "name is missing")
    elif len(cells["name"]) > MAX_NAME:
        refuse("name", f"name is longer than {MAX_NAME} characters")
    for key in ("member", "skill"):
        if cells[key] and not ID.match(cells[key]):
            refuse(key, _id_problem(key, cells[key]))
    if not cells["member"]:
        refuse("member", "member is missing")
    person: dict[str, Any] = {key: cells[key] for key in ("id", "name", "member")}
    if role == "competitor":
        _competitor(person, cells, refuse)
    else:
        for key in COMPETITORS_ONLY:
            if cells.get(key):
                refuse(key, f"{key} is for competitors only")
        person["role"] = role
        if cells["skill"]:
            person["skill"] = cells["skill"]
    if problems or role is None:
        people.problems += problems
        return
    kind = "competitors" if role == "competitor" else "experts"
    listed = getattr(people, kind)
    path = f"{kind}[{len(listed)}]"
    listed.append(person)
    people.origins[path] = sheet.row(number)
    for key, column in columns.items():
        people.origins[f"{path}.{key}"] = sheet.cell(column, number)


def _competitor(
    person: dict[str, Any], cells: dict[str, str], refuse: Callable[[str, str], None]
) -> None:
    person["skill"] = cells["skill"]
    if not cells["skill"]:
        refuse("skill", "a competitor needs a skill")
    status = cells.get("status", "").lower().replace(" ", "_").replace("-", "_")
    if status and status not in STATUSES:
        refuse("status", f'status "{cells["status"]}" must be one of {", ".join(STATUSES)}')
    elif status and status != "competing":
        person["status"] = status
    team = [name.strip() for name in cells.get("team", "").split(";") if name.strip()]
    if team:
        person["team"] = team
    _private(person, cells, refuse)


def _private(
    person: dict[str, Any], cells: dict[str, str], refuse: Callable[[str, str], None]
) -> None:
    """The birth date and the consent: they decide the public name, and are never public."""
    born = cells.get("birth_date", "")
    if born:
        day = _date(born)
        if day is None:
            refuse("birth_date", f'birth_date "{born}" is no date: write it as 2008-05-31')
        else:
            person["birth_date"] = day.isoformat()
    consent = cells.get("consent", "")
    if consent:
        if consent.lower() not in CONSENTS:
            refuse("consent", f'consent "{consent}" must be yes, no or blank')
        else:
            person["consent"] = CONSENTS[consent.lower()]


def _date(value: str) -> datetime.date | None:
    dotted = DOTTED_DATE.match(value)
    try:
        if dotted:
            day, month, year = (int(part) for part in dotted.groups())
            return datetime.date(year, month, day)
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def _id_problem(key: str, value: str) -> str:
    if not value:
        return f"{key} is missing"
    return f'{key} "{value}" may hold only letters A-Z, digits and . _ - (at most 64)'
