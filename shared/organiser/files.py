"""A championship file that points at the organisers' own files (docs/championship-files.md): skills
with a `marking_scheme` workbook, and `people` in a workbook or CSV file, paths relative to
the championship file.

`expand` reads them into the self-contained form of section 2, and remembers where each
part came from, so the championship's own checks name a cell, not a path in a file the
organiser never wrote (`people.xlsx: People!C14`, not `competitors[12].member`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shared.organiser.marking_scheme import read_scheme
from shared.organiser.people import read_people
from shared.organiser.tables import Sheet, TableError, read
from shared.schema_check import Problem

SCHEME = "marking_scheme"
NAMES = "criteria_names"
PEOPLE = "people"


@dataclass
class Expanded:
    """The championship in its self-contained form, and the problems of the files read."""

    raw: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)
    # path in `raw` -> the place in an organiser's file it came from
    origins: dict[str, str] = field(default_factory=dict)
    # Skills whose scheme had a problem, reported at its cell: the problems that follow from
    # it (a total short of 100, a criterion left without aspects) are not reported again.
    unfinished: set[int] = field(default_factory=set)
    # The organisers' files named, as the championship file names them.
    files: set[str] = field(default_factory=set)

    def placed(self, problems: list[Problem]) -> list[Problem]:
        """The championship's problems, each at the place its value came from."""
        placed = []
        for problem in problems:
            skill = re.match(r"skills\[(\d+)\]\.criteria\b", problem.path)
            if skill and int(skill.group(1)) in self.unfinished:
                continue
            placed.append(Problem(self._origin(problem.path), problem.message))
        return placed

    def in_order(self, problems: list[Problem]) -> list[Problem]:
        """The championship file's own problems first, then each file's from the top down."""
        return sorted(problems, key=self._order)

    def _order(self, problem: Problem) -> tuple[Any, ...]:
        file, _, place = problem.path.partition(": ")
        if file not in self.files:
            return (False, problem.path)
        cell = PLACE.match(place) or ROW.match(place)
        if cell is None:  # the whole file, or a whole sheet
            return (True, file, place, 0, "")
        column = cell.groupdict().get("column") or ""
        return (True, file, cell.group("sheet") or "", int(cell.group("row")), f"{column:>3}")

    def _origin(self, path: str) -> str:
        part = path
        while part:
            if part in self.origins:
                return self.origins[part]
            # One step up: `a[2].b` to `a[2]`, `a[2]` to `a`, `a` to nothing.
            part = re.sub(r"(\.[^.\[]*|\[\d+\]|^[^.\[]*)$", "", part)
        return path


# A place in a file, without the file's name: `Sheet!F27`, `F27`, `Sheet, row 4`, `row 4`.
PLACE = re.compile(r"^(?:(?P<sheet>.*)!)?(?P<column>[A-Z]+)(?P<row>[0-9]+)$")
ROW = re.compile(r"^(?:(?P<sheet>.*), )?row (?P<row>[0-9]+)$")


def expand(raw: dict[str, Any], base: Path) -> Expanded:
    expanded = Expanded(dict(raw))
    if PEOPLE in raw:
        _people(expanded, raw[PEOPLE], base)
    skills = raw.get("skills")
    if isinstance(skills, list):
        expanded.raw["skills"] = [
            _skill(expanded, i, skill, base) if isinstance(skill, dict) else skill
            for i, skill in enumerate(skills)
        ]
    return expanded


def _people(expanded: Expanded, given: Any, base: Path) -> None:
    raw = expanded.raw
    del raw[PEOPLE]
    inline = [key for key in ("competitors", "experts") if key in raw]
    if inline:
        message = f"the people file and {' and '.join(inline)} in this file: give one or the other"
        expanded.problems.append(Problem(PEOPLE, message))
        return
    raw["competitors"], raw["experts"] = [], []
    sheets = _tables(expanded, PEOPLE, given, base)
    if sheets is None:
        return
    people = read_people(sheets)
    raw["competitors"], raw["experts"] = people.competitors, people.experts
    expanded.origins.update(people.origins)
    expanded.problems += people.problems


def _skill(expanded: Expanded, i: int, skill: dict[str, Any], base: Path) -> dict[str, Any]:
    if SCHEME not in skill and NAMES not in skill:
        return skill
    path = f"skills[{i}]"
    skill = dict(skill)
    given, names = skill.pop(SCHEME, None), skill.pop(NAMES, {})
    if given is None:
        message = f"{NAMES} names the criteria of a {SCHEME}: give the workbook"
        expanded.problems.append(Problem(f"{path}.{NAMES}", message))
        return skill
    if "criteria" in skill:
        message = f"criteria and a {SCHEME}: give one or the other"
        expanded.problems.append(Problem(f"{path}.{SCHEME}", message))
        return skill
    names = _criteria_names(expanded, names, f"{path}.{NAMES}")
    skill["criteria"] = []
    expanded.unfinished.add(i)
    sheets = _tables(expanded, f"{path}.{SCHEME}", given, base)
    if sheets is None:
        return skill
    scheme = read_scheme(sheets, names)
    skill["criteria"] = scheme.criteria
    expanded.problems += scheme.problems
    for where, origin in scheme.origins.items():
        expanded.origins[f"{path}.{where}"] = origin
    known = {c["id"] for c in scheme.criteria}
    for letter in names:
        if letter not in known and not scheme.problems:
            message = f"{given} has no criterion {letter} (no sub-criterion {letter}1, ...)"
            expanded.problems.append(Problem(f"{path}.{NAMES}.{letter}", message))
    if not scheme.problems:
        expanded.unfinished.discard(i)
    return skill


def _criteria_names(expanded: Expanded, names: Any, path: str) -> dict[str, str]:
    if not isinstance(names, dict):
        message = 'expected a table of names by criterion, like { A = "Design" }'
        expanded.problems.append(Problem(path, message))
        return {}
    good = {}
    for letter, name in names.items():
        if isinstance(name, str) and 0 < len(name.strip()) <= 200:
            good[letter] = name.strip()
        else:
            message = "expected the criterion's name: 1 to 200 characters"
            expanded.problems.append(Problem(f"{path}.{letter}", message))
    return good


def _tables(expanded: Expanded, path: str, given: Any, base: Path) -> list[Sheet] | None:
    """The sheets of the file a field names, or None with the problem reported."""
    if not isinstance(given, str) or not given.strip():
        message = 'expected the file\'s name, relative to this file, like "people.xlsx"'
        expanded.problems.append(Problem(path, message))
        return None
    expanded.files.add(given)
    try:
        return read(base / given, given)
    except TableError as error:
        expanded.problems.append(Problem(given, str(error)))
        return None
