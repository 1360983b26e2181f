"""Writes the demo championship as its organisers would hold it: a championship TOML, one
CIS-style marking-scheme workbook a skill and a people workbook, then the equivalent
self-contained JSON made from them by the same import `podium up` runs.

    python -m services.tools.demo.files          # or: make demo-files

The data lives in `demo_schemes` (read from `data/demo_schemes.toml`) and `demo_people`; the
files are written into the package's data (`shared/data/turkicskills-2025/` and
`shared/data/turkicskills-2025.json`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from services.tools.championship import encoded
from services.tools.demo.people import ENDS, PEOPLE, STARTS, private
from services.tools.demo.schemes import Judgement, Measurement, Scheme, schemes
from shared.organiser import load
from shared.organiser.scheme_header import COLUMNS

DATA = Path(__file__).parents[3] / "shared" / "data"
FOLDER = DATA / "turkicskills-2025"
SELF_CONTAINED = DATA / "turkicskills-2025.json"

CHAMPIONSHIP = {
    "id": "turkicskills-2025",
    "name": "TurkicSkills 2025",
    "venue": "Aktau, Kazakhstan",
    "timezone": "Asia/Aqtau",
    "languages": ["en", "kk", "ru", "tr", "az", "hu", "uz", "ky"],
}
MEMBERS = (
    ("KZ", "Kazakhstan"),
    ("TR", "Türkiye"),
    ("AZ", "Azerbaijan"),
    ("HU", "Hungary"),
    ("UZ", "Uzbekistan"),
    ("KG", "Kyrgyzstan"),
)
# The columns as a CIS export heads them; the aspect type's heading spans three lines there.
HEADINGS = [
    COLUMNS["sub_criterion"][0],
    COLUMNS["sub_criterion_name"][0],
    "Aspect Type\nM = Meas\nJ = Judg",
    COLUMNS["description"][0],
    COLUMNS["score"][0],
    COLUMNS["extra"][0],
    COLUMNS["requirement"][0],
    COLUMNS["wsos_section"][0],
    COLUMNS["max_mark"][0],
    COLUMNS["day"][0],
]
WIDTHS = (10, 28, 10, 48, 8, 60, 44, 9, 9, 9)
TITLE_ROWS = 3


def write(folder: Path = FOLDER) -> None:
    (folder / "schemes").mkdir(parents=True, exist_ok=True)
    (folder / "championship.toml").write_text(championship_toml(), encoding="utf-8")
    for scheme in schemes():
        scheme_workbook(scheme).save(folder / "schemes" / f"{scheme.skill}.xlsx")
    people_workbook().save(folder / "people.xlsx")


def championship_toml() -> str:
    # json.dumps writes a string as TOML's basic strings want it.
    lines = [
        "# TurkicSkills 2025 as its organisers hold it: this file, the skills' CIS marking-scheme",
        "# workbooks (schemes/) and the registration list (people.xlsx). Written by",
        "# services/tools/demo/files.py; `podium championship check` explains any mistake.",
        *(
            f"{key} = {json.dumps(value, ensure_ascii=False)}"
            for key, value in CHAMPIONSHIP.items()
        ),
        # TOML's own dates: the first day is the one competitors' ages are taken on.
        f"starts = {STARTS.isoformat()}",
        f"ends = {ENDS.isoformat()}",
        'people = "people.xlsx"',
    ]
    for code, name in MEMBERS:
        lines += [
            "",
            "[[members]]",
            f'code = "{code}"',
            f"name = {json.dumps(name, ensure_ascii=False)}",
        ]
    for scheme in schemes():
        names = ", ".join(
            f"{letter} = {json.dumps(c.name, ensure_ascii=False)}"
            for letter, c in scheme.criteria.items()
        )
        lines += [
            "",
            "[[skills]]",
            f'id = "{scheme.skill}"',
            f"name = {json.dumps(scheme.name, ensure_ascii=False)}",
            f'marking_scheme = "schemes/{scheme.skill}.xlsx"',
            f"criteria_names = {{ {names} }}",
        ]
        if scheme.rules:
            lines.append("[skills.rules]")
            lines += [f"{key} = {json.dumps(value)}" for key, value in scheme.rules.items()]
    return "\n".join(lines) + "\n"


def scheme_workbook(scheme: Scheme) -> Workbook:
    """A summary sheet first (which the import passes over), then the marking scheme with a
    title above its header, as CIS exports it."""
    book = Workbook()
    summary = book.active
    assert isinstance(summary, Worksheet)
    summary.title = "Summary"
    summary.append([f"{scheme.name}: marks by criterion"])
    summary.append(["Criterion", "Name", "Marks"])
    for letter, criterion in scheme.criteria.items():
        marks = sum(a.max_mark for s in criterion.sub_criteria for a in s.aspects)
        summary.append([letter, criterion.name, marks])
    sheet = book.create_sheet("Marking Scheme")
    sheet.append([f"{CHAMPIONSHIP['name']}: {scheme.name}"])
    sheet.append(["Marking Scheme"])
    sheet.append([])
    sheet.append(HEADINGS)
    for letter, criterion in scheme.criteria.items():
        for number, sub in enumerate(criterion.sub_criteria, 1):
            total = sum(a.max_mark for a in sub.aspects)
            sheet.append([f"{letter}{number}", sub.name, None, None, None, None, None, None, total])
            for aspect in sub.aspects:
                _aspect_rows(sheet, aspect, sub.day)
    _looks(sheet)
    return book


def _aspect_rows(sheet: Worksheet, aspect: Measurement | Judgement, day: str) -> None:
    """An aspect's row; under a judgement, a row for each score with its description."""
    requirement = None if isinstance(aspect, Judgement) else aspect.requirement
    kind = "J" if isinstance(aspect, Judgement) else "M"
    row = [None, None, kind, aspect.description, None, None, requirement]
    sheet.append([*row, aspect.wsos_section, aspect.max_mark, day])
    if isinstance(aspect, Judgement):
        for score, descriptor in enumerate(aspect.descriptors):
            sheet.append([None, None, None, None, score, descriptor])


def _looks(sheet: Worksheet) -> None:
    """Bold wrapped headings, readable widths, the header kept in view."""
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    for cell in sheet[TITLE_ROWS + 1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.freeze_panes = f"A{TITLE_ROWS + 2}"


def people_workbook() -> Workbook:
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.title = "People"
    sheet.append(
        ["ID", "Name", "Member", "Skill", "Role", "Team", "Status", "Birth Date", "Consent"]
    )
    competitors = 0
    for person in PEOPLE:
        if person[4] != "competitor":
            sheet.append([*person, None, None, None, None])
            continue
        born, consent = private(person[0], competitors)
        competitors += 1
        answer = None if consent is None else "yes" if consent else "no"
        sheet.append([*person, None, None, born, answer])
        sheet.cell(sheet.max_row, 8).number_format = "yyyy-mm-dd"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = (14, 30, 8, 26, 12, 20, 12, 12, 9)
    for column, width in zip("ABCDEFGHI", widths, strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    return book


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else FOLDER
    write(folder)
    target = SELF_CONTAINED if folder == FOLDER else folder.with_suffix(".json")
    target.write_bytes(encoded(load(folder / "championship.toml")))
    print(f"demo championship written to {folder} and {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
