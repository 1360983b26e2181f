"""docs/rules.md, "Medal table", as table tests: the medal table by member and Best of Nation."""

from __future__ import annotations

import msgspec

from services.ranking.medals import medal_table
from shared.championship import Member
from shared.events import Medal, MedalTable, MemberMedals, StandingsRow

MEMBERS = (
    Member("KZ", "Қазақстан"),
    Member("TR", "Türkiye"),
    Member("AZ", "Azərbaycan"),
    Member("HU", "Magyarország"),
)


def row(competitor: str, medal: Medal | None = None, scale: int | None = 700) -> StandingsRow:
    """A standings row of the competitor's member (the id's prefix); rank and total do not
    matter to the medal table."""
    return StandingsRow(
        rank=1,
        competitor=competitor,
        name=f"Name {competitor}",
        member=competitor.split("-")[0],
        total=50.0,
        progress=1.0,
        criteria={},
        scale=scale,
        medal=medal,
    )


def table(**skills: tuple[StandingsRow, ...]) -> MedalTable:
    return medal_table(MEMBERS, skills, provisional=True)


def line(result: MedalTable, member: str) -> MemberMedals:
    return next(m for m in result.table if m.member == member)


def order(result: MedalTable) -> list[str]:
    return [m.member for m in result.table]


def test_counts_and_points_per_member() -> None:
    result = table(
        welding=(row("KZ-W-1", "gold"), row("TR-W-1", "silver"), row("KZ-W-2", "bronze")),
        robotics=(row("KZ-R-1", "excellence"), row("TR-R-1", "gold")),
    )
    # Three KZ entrants share 7 points (2.33 each), two TR entrants 7 (3.5); every scale 700.
    assert line(result, "KZ") == MemberMedals(
        "KZ", "Қазақстан", 1, 0, 1, 1, 4 + 2 + 1, 3, 2.33, 700.0
    )
    assert line(result, "TR") == MemberMedals("TR", "Türkiye", 1, 1, 0, 0, 4 + 3, 2, 3.5, 700.0)


def test_sorted_by_points_first() -> None:
    # AZ: one gold (4); HU: two bronzes (4) and an excellence (5): points beat golds.
    result = table(
        welding=(row("AZ-W-1", "gold"), row("HU-W-1", "bronze")),
        robotics=(row("HU-R-1", "bronze"), row("HU-R-2", "excellence")),
    )
    assert order(result)[:2] == ["HU", "AZ"]


def test_equal_points_sorted_by_gold_then_silver_then_bronze() -> None:
    # All four on 8 points: AZ 2 golds; KZ 1 gold 2 bronzes; HU 1 silver, 2 bronzes, 1
    # excellence; TR 4 bronzes.
    result = table(
        welding=(row("AZ-W-1", "gold"), row("KZ-W-1", "gold"), row("HU-W-1", "silver")),
        robotics=(row("AZ-R-1", "gold"), row("KZ-R-1", "bronze"), row("HU-R-1", "bronze")),
        cooking=(row("KZ-C-1", "bronze"), row("HU-C-1", "bronze"), row("HU-C-2", "excellence")),
        it=tuple(row(f"TR-I-{i}", "bronze") for i in range(4)),
    )
    assert {m.points for m in result.table} == {8}
    assert order(result) == ["AZ", "KZ", "HU", "TR"]


def test_equal_points_and_medals_sorted_by_member_code() -> None:
    result = table(welding=(row("TR-W-1", "silver"), row("HU-W-1", "silver")))
    assert order(result) == ["HU", "TR", "AZ", "KZ"]


def test_excellence_counts_one_point_and_yields_to_a_gold_on_equal_points() -> None:
    # KZ: 1 bronze + 2 excellence = 4 points; AZ: 1 gold = 4 points, and the gold wins.
    result = table(
        welding=(row("AZ-W-1", "gold"), row("KZ-W-1", "bronze")),
        robotics=(row("KZ-R-1", "excellence"), row("KZ-R-2", "excellence")),
    )
    assert line(result, "KZ").excellence == 2
    assert line(result, "KZ").points == 4
    assert order(result)[:2] == ["AZ", "KZ"]


def test_members_with_nothing_are_listed_last_by_code() -> None:
    result = table(welding=(row("TR-W-1", "bronze"), row("KZ-W-1", None)))
    assert order(result) == ["TR", "AZ", "HU", "KZ"]
    assert line(result, "HU") == MemberMedals("HU", "Magyarország", 0, 0, 0, 0, 0)


def test_no_standings_yet_lists_every_member_at_zero() -> None:
    result = table()
    assert order(result) == ["AZ", "HU", "KZ", "TR"]
    assert result.best_of_nation == {}


def test_tied_golds_both_count() -> None:
    result = table(welding=(row("KZ-W-1", "gold"), row("TR-W-1", "gold"), row("KZ-W-2", "gold")))
    assert (line(result, "KZ").gold, line(result, "TR").gold) == (2, 1)
    assert order(result)[:2] == ["KZ", "TR"]


def test_best_of_nation_is_the_highest_scale_across_skills() -> None:
    result = table(
        welding=(row("KZ-W-1", scale=720), row("TR-W-1", scale=690)),
        robotics=(row("KZ-R-1", scale=735), row("TR-R-1", scale=650)),
    )
    assert result.best_of_nation == {"KZ": ("KZ-R-1",), "TR": ("TR-W-1",)}


def test_best_of_nation_ties_name_all_sorted_by_id() -> None:
    result = table(
        welding=(row("KZ-W-2", scale=720), row("KZ-W-1", scale=700)),
        robotics=(row("KZ-R-1", scale=720),),
    )
    assert result.best_of_nation == {"KZ": ("KZ-R-1", "KZ-W-2")}


def test_best_of_nation_omits_members_without_a_scaled_competitor() -> None:
    result = table(welding=(row("KZ-W-1", scale=None), row("TR-W-1", scale=640)))
    assert result.best_of_nation == {"TR": ("TR-W-1",)}


def test_provisional_is_passed_through() -> None:
    assert medal_table(MEMBERS, {}, provisional=False).provisional is False
    assert table().provisional is True


def test_encodes_as_the_medals_api_body() -> None:
    result = table(welding=(row("KZ-W-1", "gold", scale=750),))
    body = msgspec.json.decode(msgspec.json.encode(result))
    assert body["provisional"] is True
    assert body["table"][0] == {
        "member": "KZ",
        "name": "Қазақстан",
        "gold": 1,
        "silver": 0,
        "bronze": 0,
        "excellence": 0,
        "points": 4,
        "entrants": 1,
        "average_points": 4.0,
        "average_scale": 750.0,
    }
    assert body["best_of_nation"] == {"KZ": ["KZ-W-1"]}
    assert body["best_overall"] == ["KZ-W-1"]
