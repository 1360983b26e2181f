"""The export sheets' shapes: status and team columns, the CIS ceremony layout, the medal
table with its averages and best overall."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from services.tools.log.export import write_csv, write_json
from services.tools.log.sheets import (
    CeremonyRow,
    ResultRow,
    ceremony_rows,
    columns,
    medal_lines,
    split_name,
)
from shared.events import MedalTable, MemberMedals


def result(competitor: str, name: str, team: str | None = None, **kw: object) -> ResultRow:
    fields: dict[str, object] = {
        "position": 1,
        "member": "KZ",
        "member_name": "Қазақстан",
        "skill": "Welding",
        "medal": "gold",
        "competitor": competitor,
        "competitor_name": name,
        "total": Decimal("87.20"),
        "scale": 761,
        "skill_id": "welding",
        "status": "competing",
        "team": team,
    }
    return ResultRow(**(fields | kw))  # type: ignore[arg-type]


def test_the_ceremony_layout_has_the_cis_columns_and_a_line_per_person() -> None:
    rows = [
        result("KZ-1", "Айгерім Сәтбаева"),
        result("KZ-T", "Team KZ", team="Нұрлан Жұмабеков; Асель Нұр Әли", medal="excellence"),
        result("KZ-2", "Madonna", position=None, medal=None, scale=None, status="absent"),
    ]
    assert columns(CeremonyRow) == (
        "Position",
        "Medal",
        "Member",
        "Member Name",
        "First Name",
        "Last Name",
        "Skill",
        "Scale Score",
    )
    out = io.StringIO()
    write_csv(ceremony_rows(rows), out)
    assert list(csv.reader(io.StringIO(out.getvalue())))[1:] == [
        ["1", "Gold", "KZ", "Қазақстан", "Айгерім", "Сәтбаева", "Welding", "761"],
        [
            "1",
            "Medallion for Excellence",
            "KZ",
            "Қазақстан",
            "Нұрлан",
            "Жұмабеков",
            "Welding",
            "761",
        ],
        ["1", "Medallion for Excellence", "KZ", "Қазақстан", "Асель", "Нұр Әли", "Welding", "761"],
        ["", "", "KZ", "Қазақстан", "Madonna", "", "Welding", ""],
    ]
    assert split_name("  Ali  Kaya ") == ("Ali", "Kaya")


def test_results_carry_status_and_team_as_the_last_columns() -> None:
    names = columns(ResultRow)
    assert names[-2:] == ("status", "team")
    out = io.StringIO()
    write_json([result("KZ-T", "Team KZ", team="A B; C D", status="withdrawn")], out)
    line = json.loads(out.getvalue())[0]
    assert (line["status"], line["team"], out.getvalue().count("87.20")) == (
        "withdrawn",
        "A B; C D",
        1,
    )


def test_medal_lines_carry_entrants_averages_and_the_best() -> None:
    table = MedalTable(
        provisional=True,
        table=(
            MemberMedals("KZ", "Қазақстан", 1, 0, 0, 1, 5, 8, 0.63, 700.13),
            MemberMedals("TR", "Türkiye", 1, 0, 0, 0, 4, 2, 2.0, 720.0),
            MemberMedals("AZ", "Azərbaycan", 0, 0, 0, 0, 0, 0, None, None),
        ),
        best_of_nation={"KZ": ("KZ-1", "KZ-3"), "TR": ("TR-1",)},
        best_overall=("KZ-3", "TR-1"),
    )
    out = io.StringIO()
    write_csv(medal_lines(table), out)
    header, *lines = list(csv.reader(io.StringIO(out.getvalue())))
    assert header[-5:] == [
        "entrants",
        "average_points",
        "average_scale",
        "best_of_nation",
        "best_overall",
    ]
    assert [line[-5:] for line in lines] == [
        ["8", "0.63", "700.13", "KZ-1; KZ-3", "KZ-3"],
        ["2", "2.0", "720.0", "TR-1", "TR-1"],
        ["0", "", "", "", ""],
    ]
