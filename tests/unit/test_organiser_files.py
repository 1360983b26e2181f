"""Championships from the organisers' own files (docs/championship-files.md): CIS marking-scheme
workbooks and people lists are read into the championship, and every mistake in them is
refused at its cell, in words an organiser understands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from services.tools.championship import encoded
from shared.championship import ChampionshipError
from shared.organiser import load
from tests.support.workbooks import (
    HEADER,
    PEOPLE,
    PEOPLE_HEADER,
    Row,
    championship_toml,
    judged,
    measurement,
    people_csv,
    people_workbook,
    scheme_workbook,
    small_folder,
    sound_rows,
    sub,
)

SCHEME = "schemes/web-tech.xlsx: Marking Scheme"


def problems(path: Path) -> dict[str, str]:
    with pytest.raises(ChampionshipError) as refused:
        load(path)
    return {p.path: p.message for p in refused.value.problems}


def test_a_sound_folder_gives_criteria_sub_criteria_aspects_and_people(tmp_path: Path) -> None:
    championship = load(small_folder(tmp_path))
    [skill] = championship.skills
    assert [(c.id, c.name) for c in skill.criteria] == [("A", "Design"), ("B", "Back end")]
    assert [s.id for s in skill.criteria[0].sub_criteria] == ["A1", "A2"]
    assert [(s.id, s.name) for s in skill.criteria[1].sub_criteria] == [("B1", "API")]
    aspects = {a.id: a for _, a in skill.aspects}
    assert list(aspects) == ["A1.1", "A1.2", "A2.1", "A2.2", "B1.1", "B1.2"]
    wireframe, quality, _, gallery = (aspects[a] for a in ("A1.1", "A1.2", "A2.1", "A2.2"))
    assert (wireframe.kind, wireframe.max_mark, wireframe.requirement) == (
        "measurement",
        20.0,
        "Every block in place",
    )
    assert (wireframe.sub_criterion, wireframe.wsos_section, wireframe.day) == ("A1", "1", "C1")
    assert quality.kind == "judgement" and quality.descriptors == tuple(
        f"Visual quality: score {s}" for s in range(4)
    )
    assert gallery.max_mark == 17.5  # written as text "17.5"
    assert sum(a.max_mark for a in aspects.values()) == 100
    assert [c.name for c in championship.competitors][:2] == ["Айгерім Сәтбаева", "Ayşe Yılmaz"]
    by_id = championship.index.competitors
    assert by_id["AZ-WT-1"].status == "withdrawn"
    assert by_id["HU-WT-1"].team == ("Kovács Bence", "Varga Dóra")
    assert [(e.id, e.role, e.skill) for e in championship.experts][::4] == [
        ("C-WT", "chief", "web-tech"),
        ("O-1", "organizer", None),
    ]


def test_workbook_championship_export_and_back_is_the_same_championship(tmp_path: Path) -> None:
    championship = load(small_folder(tmp_path / "folder"))
    exported = tmp_path / "exported.json"
    exported.write_bytes(encoded(championship))
    again = load(exported)
    assert again == championship
    assert encoded(again) == exported.read_bytes()


def shuffled(rows: list[Row], order: list[int], header: list[str]) -> tuple[list[Any], list[Row]]:
    """The same scheme with its columns in another order."""
    return [header[i] for i in order], [[(r + [None] * 10)[i] for i in order] for r in rows]


def test_headers_are_found_by_name_in_any_order_with_extra_columns(tmp_path: Path) -> None:
    expected = load(small_folder(tmp_path / "sound"))
    # Short names, other case and spacing, line breaks, an extra column, columns reversed.
    header = [
        "  sub-criterion id ",
        "SUB CRITERION NAME",
        "Aspect Type\nM = Meas\nJ = Judg",
        "Aspect Description",
        "judg score",
        "Extra Aspect Description",
        "Requirement",
        "WSOS section",
        "max mark",
        "Day of marking",
        "Notes for the jury",
    ]
    rows = [[*row, "ignored"] for row in (r + [None] * (10 - len(r)) for r in sound_rows())]
    order = list(reversed(range(11)))
    moved_header, moved_rows = shuffled(rows, order, header)
    folder = tmp_path / "moved"
    small_folder(folder)
    scheme_workbook(folder / "schemes/web-tech.xlsx", moved_rows, moved_header, header_row=9)
    assert load(folder / "championship.toml") == expected


def test_a_csv_people_list_in_utf8_with_or_without_bom_any_delimiter(tmp_path: Path) -> None:
    expected = load(small_folder(tmp_path / "xlsx"))
    for encoding, delimiter in (("utf-8-sig", ";"), ("utf-8", ","), ("utf-16", "\t")):
        folder = tmp_path / encoding
        small_folder(folder)
        people_csv(folder / "people.csv", PEOPLE, PEOPLE_HEADER, encoding, delimiter)
        (folder / "championship.toml").write_text(championship_toml("people.csv"))
        assert load(folder / "championship.toml") == expected, encoding


# Each broken folder: what to change in the sound one, and the problems that must be reported,
# each with its exact place and words its message must hold.
Change = Callable[[Path], None]


def rows_with(change: Callable[[list[Row]], None]) -> Change:
    def write(folder: Path) -> None:
        rows = sound_rows()
        change(rows)
        scheme_workbook(folder / "schemes/web-tech.xlsx", rows)

    return write


def set_mark(row: int, mark: Any) -> Callable[[list[Row]], None]:
    """Row numbers as the workbook shows them: the first row under the header is row 5."""

    def change(rows: list[Row]) -> None:
        rows[row - 5][8] = mark

    return change


def people_with(change: Callable[[list[list[str]]], None]) -> Change:
    def write(folder: Path) -> None:
        people = [list(p) for p in PEOPLE]
        change(people)
        people_workbook(folder / "people.xlsx", people, PEOPLE_HEADER)

    return write


def header_with(old: str, new: str) -> Change:
    def write(folder: Path) -> None:
        header = [new if h == old else h for h in HEADER]
        scheme_workbook(folder / "schemes/web-tech.xlsx", sound_rows(), header)

    return write


def empty_scheme(folder: Path) -> None:
    book = Workbook()
    book.save(folder / "schemes/web-tech.xlsx")


def header_too_low(folder: Path) -> None:
    scheme_workbook(folder / "schemes/web-tech.xlsx", sound_rows(), header_row=12)


def cp1251_people(folder: Path) -> None:
    russian = [[p[0], "Иван Петров", *p[2:5], "", p[6]] for p in PEOPLE]
    people_csv(folder / "people.csv", russian, PEOPLE_HEADER, "cp1251", ";")
    (folder / "championship.toml").write_text(championship_toml("people.csv"))


def no_people_file(folder: Path) -> None:
    (folder / "people.xlsx").unlink()


def not_a_workbook(folder: Path) -> None:
    (folder / "people.xlsx").write_text("id,name\n")


def unknown_criterion_name(folder: Path) -> None:
    toml = championship_toml().replace('B = "Back end"', 'B = "Back end", C = "Security"')
    (folder / "championship.toml").write_text(toml)


def without_score(score: int) -> Callable[[list[Row]], None]:
    def change(rows: list[Row]) -> None:
        del rows[3 + score]  # the scores of A1.2 stand on rows 8 to 11

    return change


def remove(index: int) -> Callable[[list[Row]], None]:
    def change(rows: list[Row]) -> None:
        del rows[index]

    return change


def insert(index: int, row: Row) -> Callable[[list[Row]], None]:
    return lambda rows: rows.insert(index, row)


def replace_in(row: int, column: int, value: Any) -> Callable[[list[Row]], None]:
    def change(rows: list[Row]) -> None:
        rows[row - 5][column] = value

    return change


def both(*changes: Callable[[list[Row]], None]) -> Callable[[list[Row]], None]:
    def change(rows: list[Row]) -> None:
        for one in changes:
            one(rows)

    return change


BROKEN: dict[str, tuple[Change, dict[str, str]]] = {
    "max mark as text with a comma": (
        rows_with(set_mark(13, "1,5")),
        {f"{SCHEME}!I13": 'max mark "1,5" is not a number (write 1.5)'},
    ),
    "judgement aspect without its four descriptors": (
        rows_with(without_score(2)),
        {f"{SCHEME}!C7": "judgement aspect A1.2 needs the description of each score 0, 1, 2 and 3"},
    ),
    "a judgement score without its description": (
        rows_with(replace_in(9, 5, None)),
        {f"{SCHEME}!F9": "score 1 of aspect A1.2 has no description"},
    ),
    "a judgement score that is not 0 to 3": (
        rows_with(replace_in(10, 4, 4)),
        {f"{SCHEME}!E10": 'judgement score "4" is not 0, 1, 2 or 3'},
    ),
    "totals not 100": (
        rows_with(both(set_mark(16, 24.5), set_mark(15, 39.5))),
        {SCHEME: "max_marks total 99.5, must total 100"},
    ),
    "a sub-criterion's max mark not the sum of its aspects": (
        rows_with(set_mark(5, 31)),
        {f"{SCHEME}!I5": "sub-criterion A1 has max mark 31 but its aspects add up to 30"},
    ),
    "junk row inside a sub-criterion": (
        rows_with(insert(2, [None, "ask the jury about this one"])),
        {f"{SCHEME}!B7": '"ask the jury about this one": this row is neither a sub-criterion'},
    ),
    "an aspect type that is not M or J": (
        rows_with(replace_in(6, 2, "X")),
        {f"{SCHEME}!C6": 'aspect type "X" is not M (measurement) or J (judgement)'},
    ),
    "an aspect before any sub-criterion": (
        rows_with(remove(0)),
        {f"{SCHEME}!C5": "an aspect before any sub-criterion"},
    ),
    "a sub-criterion twice": (
        rows_with(replace_in(12, 0, "A1")),
        {f"{SCHEME}!A12": "sub-criterion A1 is already on row 5"},
    ),
    "a sub-criterion ID that is not letters and a number": (
        rows_with(replace_in(15, 0, "B-1")),
        {f"{SCHEME}!A15": 'sub-criterion ID "B-1" is not letters and a number, like A1'},
    ),
    "a max mark missing": (
        rows_with(set_mark(6, None)),
        {f"{SCHEME}!I6": "max mark is missing"},
    ),
    "wrong header": (
        header_with("Max Mark", "Maximum points"),
        {f"{SCHEME}, row 4": "the marking scheme's header lacks Max Mark"},
    ),
    "missing header": (
        header_too_low,
        {"schemes/web-tech.xlsx": "no sheet has a marking scheme header"},
    ),
    "empty sheet": (empty_scheme, {"schemes/web-tech.xlsx: Sheet": "the sheet is empty"}),
    "unknown member": (
        people_with(lambda people: people[1].__setitem__(2, "XX")),
        {"people.xlsx: People!C3": "unknown member 'XX'"},
    ),
    "duplicate id": (
        people_with(lambda people: people[1].__setitem__(0, "KZ-WT-1")),
        {
            "people.xlsx: People!A2": "duplicate id 'KZ-WT-1'",
            "people.xlsx: People!A3": "duplicate id 'KZ-WT-1'",
        },
    ),
    "unknown skill": (
        people_with(lambda people: people[5].__setitem__(3, "knitting")),
        {"people.xlsx: People!D7": "unknown skill 'knitting'"},
    ),
    "a role that is not one of the four": (
        people_with(lambda people: people[6].__setitem__(4, "judge")),
        {"people.xlsx: People!E8": 'role "judge" must be competitor, expert, chief or organizer'},
    ),
    "a status that is not one of the four": (
        people_with(lambda people: people[0].__setitem__(6, "gone home")),
        {"people.xlsx: People!G2": 'status "gone home" must be one of competing, absent'},
    ),
    "an id with a space": (
        people_with(lambda people: people[0].__setitem__(0, "KZ WT 1")),
        {"people.xlsx: People!A2": 'id "KZ WT 1" may hold only letters A-Z, digits and . _ -'},
    ),
    "a people header without member": (
        lambda folder: people_workbook(
            folder / "people.xlsx", PEOPLE, ["id", "name", "country", "skill", "role"]
        ),
        {"people.xlsx: People, row 1": "it lacks member"},
    ),
    "a garbled name": (
        people_with(lambda people: people[1].__setitem__(1, "AyÅŸe YÄ±lmaz")),
        {"people.xlsx: People!B3": '"AyÅŸe YÄ±lmaz" looks garbled'},
    ),
    "a CSV in another encoding": (
        cp1251_people,
        {"people.csv": "not UTF-8 text: byte 0xC8 on line 2"},
    ),
    "no people file": (no_people_file, {"people.xlsx": "no such file"}),
    "a people file that is no workbook": (
        not_a_workbook,
        {"people.xlsx": "not an .xlsx workbook Excel can open"},
    ),
    "criteria_names naming a criterion the scheme lacks": (
        unknown_criterion_name,
        {"skills[0].criteria_names.C": "schemes/web-tech.xlsx has no criterion C"},
    ),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_each_broken_file_is_refused_at_its_place(tmp_path: Path, case: str) -> None:
    change, expected = BROKEN[case]
    path = small_folder(tmp_path)
    change(tmp_path)
    found = problems(path)
    assert set(found) == set(expected), found
    for place, words in expected.items():
        assert words in found[place], (place, found[place])


def test_every_problem_of_every_file_at_once_from_the_top_down(tmp_path: Path) -> None:
    rows = sound_rows()
    rows[8][8] = "1,5"  # row 13
    rows.insert(2, [None, "a note"])  # row 7
    people = [list(p) for p in PEOPLE]
    people[2][2] = "XX"
    path = small_folder(tmp_path, rows, people)
    with pytest.raises(ChampionshipError) as refused:
        load(path)
    assert [p.path for p in refused.value.problems] == [
        "people.xlsx: People!C4",
        f"{SCHEME}!B7",
        f"{SCHEME}!I14",
    ]
    assert "3 problem(s)" in str(refused.value)


def test_judg_score_is_needed_only_where_there_are_judgement_aspects(tmp_path: Path) -> None:
    def without_scores(row: Row) -> Row:
        full = row + [None] * (10 - len(row))
        return full[:4] + full[5:]

    header = without_scores(list(HEADER))
    scheme = (
        sub("A1", "Front"),
        measurement("Front", 50),
        sub("B1", "Back"),
        measurement("Back", 50),
    )
    rows = [without_scores(r) for r in scheme]
    path = small_folder(tmp_path)
    scheme_workbook(tmp_path / "schemes/web-tech.xlsx", rows, header)
    assert [a.id for _, a in load(path).skills[0].aspects] == ["A1.1", "B1.1"]
    rows.append(without_scores(judged("Style", 10)[0]))
    scheme_workbook(tmp_path / "schemes/web-tech.xlsx", rows, header)
    assert "needs the columns Judg Score" in problems(path)[f"{SCHEME}!C9"]


def test_inline_people_and_a_people_file_together_are_refused(tmp_path: Path) -> None:
    path = small_folder(tmp_path)
    toml = path.read_text().replace("[[members]]", '[[competitors]]\nid = "X"\n[[members]]', 1)
    path.write_text(toml)
    assert "give one or the other" in problems(path)["people"]
