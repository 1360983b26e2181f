"""docs/rules.md, "Status", "Teams", "Too few entrants" and "Averages": worked examples by hand.

Every expected figure below was worked out on paper from the rules document, not read off the
code; the comments show the working.
"""

from __future__ import annotations

import msgspec

from services.ranking.medals import medal_table
from services.ranking.rules import Marks, exact, standings
from shared.championship import (
    Aspect,
    Competitor,
    Criterion,
    MedalMinEntrants,
    Member,
    Rules,
    Skill,
)
from shared.events import Medal, StandingsRow, Status

MEMBERS = tuple(Member(code, code) for code in ("AZ", "HU", "KZ", "TR", "UZ"))


def skill(rules: Rules | None = None) -> Skill:
    aspects = (Aspect("A1", "measurement", 40.0), Aspect("A2", "measurement", 60.0))
    return Skill("welding", "Welding", (Criterion("A", "Fillet", aspects),), rules or Rules())


def person(cid: str, status: Status = "competing", team: tuple[str, ...] = ()) -> Competitor:
    return Competitor(cid, f"Name {cid}", cid.split("-")[0], "welding", status, team)


def marks(**totals: float) -> Marks:
    """Aspect A1 of each competitor (key: id with '_' for '-') set to the value."""
    return Marks(measurements={(k.replace("_", "-"), "A1"): exact(v) for k, v in totals.items()})


def table(rows: tuple[StandingsRow, ...]) -> list[tuple[str, int | None, int | None, Medal | None]]:
    return [(r.competitor, r.rank, r.scale, r.medal) for r in rows]


# A skill of five: KZ 30, TR 25, UZ 20 compete; HU (28) takes part out of competition; AZ is
# absent. Median and sd over KZ, TR, UZ only: median 25, variance (25 + 0 + 25) / 3 = 50/3,
# sd 4.0825. KZ: 700 + 50 * 5 / 4.0825 = 761.24 -> 761; TR 700; UZ 638.76 -> 639;
# HU: 700 + 50 * 3 / 4.0825 = 736.74 -> 737, on the same scale but in no median and no medal.
FIVE = [
    person("KZ-1"),
    person("TR-1"),
    person("AZ-1", "absent"),
    person("HU-1", "non_competing"),
    person("UZ-1"),
]
FIVE_MARKS = marks(KZ_1=30, TR_1=25, HU_1=28, UZ_1=20)


def test_a_skill_of_five_with_one_absent_and_one_out_of_competition() -> None:
    result = standings(skill(), FIVE, FIVE_MARKS)
    assert table(result.rows) == [
        ("KZ-1", 1, 761, "gold"),
        ("TR-1", 2, 700, "silver"),
        ("UZ-1", 3, 639, "bronze"),
        ("HU-1", None, 737, None),
        ("AZ-1", None, None, None),
    ]
    assert [r.status for r in result.rows] == [
        "competing",
        "competing",
        "competing",
        "non_competing",
        "absent",
    ]
    # HU's 28 is shown; it pushes nobody down (TR keeps 2nd, UZ the bronze).
    assert result.rows[3].total == 28.0
    # Progress counts what is still to mark: 4 counted aspects of 4 competitors x 2 aspects.
    assert result.progress == 0.5


def test_the_same_five_all_competing_rank_and_scale_otherwise() -> None:
    """The comparison that shows what the statuses did: HU takes silver, UZ drops to 4th."""
    everyone = [person(c.id) for c in FIVE]
    rows = standings(skill(), everyone, FIVE_MARKS).rows
    assert [(r.competitor, r.rank, r.medal) for r in rows][:4] == [
        ("KZ-1", 1, "gold"),
        ("HU-1", 2, "silver"),
        ("TR-1", 3, "bronze"),
        ("UZ-1", 4, None),
    ]


def test_a_withdrawn_competitor_still_ranks_and_scales_but_wins_nothing() -> None:
    # KZ 30 (withdrawn), TR 25, AZ 20, HU 15: median 22.5, variance (56.25 + 6.25 + 6.25 +
    # 56.25) / 4 = 31.25, sd 5.5902. KZ 700 + 50 * 7.5 / 5.5902 = 767.08 -> 767, TR 722.36
    # -> 722, AZ 677.64 -> 678, HU 632.92 -> 633. KZ keeps 1st: nobody is handed the gold.
    group = [person("KZ-1", "withdrawn"), person("TR-1"), person("AZ-1"), person("HU-1")]
    rows = standings(skill(), group, marks(KZ_1=30, TR_1=25, AZ_1=20, HU_1=15)).rows
    assert table(rows) == [
        ("KZ-1", 1, 767, None),
        ("TR-1", 2, 722, "silver"),
        ("AZ-1", 3, 678, "bronze"),
        ("HU-1", 4, 633, None),
    ]
    assert rows[0].status == "withdrawn"


def test_a_withdrawn_competitor_earns_no_medallion_a_competing_one_does() -> None:
    # Seven entrants on 40, 39, ..., 34: median 37, variance (9 + 4 + 1 + 0 + 1 + 4 + 9) / 7
    # = 4, sd 2, so each point is 25 on the scale: 775, 750, 725, 700, 675, 650, 625. With
    # the threshold at 675, the 4th (TR-2, 700) is withdrawn and gets nothing; the 5th
    # (AZ-1, 675) gets the Medallion.
    ids = ["KZ-1", "KZ-2", "TR-1", "TR-2", "AZ-1", "AZ-2", "HU-1"]
    group = [person(i, "withdrawn" if i == "TR-2" else "competing") for i in ids]
    values = {i.replace("-", "_"): 40 - n for n, i in enumerate(ids)}
    rows = standings(skill(Rules(excellence_threshold=675)), group, marks(**values)).rows
    assert table(rows) == [
        ("KZ-1", 1, 775, "gold"),
        ("KZ-2", 2, 750, "silver"),
        ("TR-1", 3, 725, "bronze"),
        ("TR-2", 4, 700, None),
        ("AZ-1", 5, 675, "excellence"),
        ("AZ-2", 6, 650, None),
        ("HU-1", 7, 625, None),
    ]


def test_a_bronze_withheld_for_too_few_entrants_goes_to_nobody() -> None:
    # The skill of five has 3 entrants (absent and non_competing are not): bronze needs 4.
    rules = Rules(medal_min_entrants=MedalMinEntrants(gold=1, silver=2, bronze=4))
    rows = standings(skill(rules), FIVE, FIVE_MARKS).rows
    assert table(rows)[:3] == [
        ("KZ-1", 1, 761, "gold"),
        ("TR-1", 2, 700, "silver"),
        ("UZ-1", 3, 639, None),
    ]


def test_a_withheld_gold_leaves_silver_to_the_second_and_a_medallion_to_the_first() -> None:
    rules = Rules(medal_min_entrants=MedalMinEntrants(gold=4))
    rows = standings(skill(rules), FIVE, FIVE_MARKS).rows
    assert table(rows)[:3] == [
        ("KZ-1", 1, 761, "excellence"),
        ("TR-1", 2, 700, "silver"),
        ("UZ-1", 3, 639, "bronze"),
    ]


def test_withdrawn_competitors_count_as_entrants() -> None:
    group = [*FIVE, person("TR-2", "withdrawn")]
    rules = Rules(medal_min_entrants=MedalMinEntrants(bronze=4))
    rows = {r.competitor: r for r in standings(skill(rules), group, FIVE_MARKS).rows}
    # TR-2 has no mark: ranked last (4th) on 0, and the fourth entrant lets the bronze go.
    assert rows["TR-2"].rank == 4 and rows["UZ-1"].medal == "bronze"


def test_a_team_ranks_and_wins_as_one_and_counts_one_medal() -> None:
    team = ("Айгерім Сәтбаева", "Нұрлан Жұмабеков")
    group = [person("KZ-T1", team=team), person("TR-T1"), person("AZ-T1")]
    rows = standings(skill(), group, marks(KZ_T1=50, TR_T1=40, AZ_T1=30)).rows
    assert (rows[0].competitor, rows[0].team, rows[0].medal) == ("KZ-T1", team, "gold")
    assert rows[1].team == ()
    medals = medal_table(MEMBERS, {"welding": rows}, provisional=True)
    kz = next(m for m in medals.table if m.member == "KZ")
    assert (kz.gold, kz.points, kz.entrants) == (1, 4, 1)


def row(
    competitor: str, medal: Medal | None, scale: int | None, status: Status = "competing"
) -> StandingsRow:
    member = competitor.split("-")[0]
    return StandingsRow(
        rank=1,
        competitor=competitor,
        name=competitor,
        member=member,
        progress=1.0,
        total=50.0,
        scale=scale,
        medal=medal,
        status=status,
    )


def test_averages_round_half_away_from_zero_at_five_thousandths() -> None:
    # KZ: 8 entrants, one Medallion (1 point): 1 / 8 = 0.125 -> 0.13 (round-half-even: 0.12).
    # Scales seven 700s and one 701: 5601 / 8 = 700.125 -> 700.13.
    kz = [row(f"KZ-{i}", None, 700) for i in range(7)] + [row("KZ-7", "excellence", 701)]
    # TR: gold (4) + bronze (2) over 3 entrants plus one absent and one non_competing, who
    # are not entrants: 6 / 3 = 2.00; the absent has no scale, the non_competing's 800 is
    # not averaged: (720 + 700 + 650) / 3 = 690.
    tr = [
        row("TR-1", "gold", 720),
        row("TR-2", "bronze", 700),
        row("TR-3", None, 650),
        row("TR-4", None, None, "absent"),
        row("TR-5", None, 800, "non_competing"),
    ]
    # UZ: two entrants without a counted aspect yet: points 0 / 2 = 0.0, no scale to average.
    uz = [row("UZ-1", None, None), row("UZ-2", None, None, "withdrawn")]
    result = medal_table(
        MEMBERS, {"a": tuple(kz), "b": tuple(tr), "c": tuple(uz)}, provisional=True
    )
    lines = {m.member: m for m in result.table}
    assert (lines["KZ"].entrants, lines["KZ"].average_points, lines["KZ"].average_scale) == (
        8,
        0.13,
        700.13,
    )
    assert (lines["TR"].entrants, lines["TR"].average_points, lines["TR"].average_scale) == (
        3,
        2.0,
        690.0,
    )
    assert (lines["UZ"].entrants, lines["UZ"].average_points, lines["UZ"].average_scale) == (
        2,
        0.0,
        None,
    )
    # No entrant at all: nothing to average.
    assert (lines["AZ"].entrants, lines["AZ"].average_points, lines["AZ"].average_scale) == (
        0,
        None,
        None,
    )
    # The non_competing 800 is the highest scale, but only competing competitors are best.
    assert result.best_overall == ("TR-1",)
    assert result.best_of_nation["TR"] == ("TR-1",)


def test_best_overall_ties_name_all_and_skip_the_withdrawn() -> None:
    rows = (
        row("KZ-1", "gold", 760),
        row("TR-1", "gold", 760),
        row("AZ-1", None, 790, "withdrawn"),
        row("HU-1", None, 700),
    )
    result = medal_table(MEMBERS, {"a": rows}, provisional=True)
    assert result.best_overall == ("KZ-1", "TR-1")
    assert "AZ" not in result.best_of_nation
    assert medal_table(MEMBERS, {}, provisional=True).best_overall == ()


def test_a_non_competing_competitor_alone_with_marks_sits_at_the_centre() -> None:
    """Fewer than 2 in the median and sd: the scale is the centre for every scaled row."""
    group = [person("KZ-1"), person("HU-1", "non_competing")]
    rows = standings(skill(), group, marks(KZ_1=30, HU_1=10)).rows
    assert table(rows) == [("KZ-1", 1, 700, "gold"), ("HU-1", None, 700, None)]


def test_ties_among_ranked_competitors_skip_the_unranked() -> None:
    # KZ and TR tie on 30 (both 1st); the non_competing HU on 40 does not take a place; UZ is
    # 3rd and takes the bronze.
    group = [person("KZ-1"), person("TR-1"), person("HU-1", "non_competing"), person("UZ-1")]
    rows = standings(skill(), group, marks(KZ_1=30, TR_1=30, HU_1=40, UZ_1=20)).rows
    assert [(r.competitor, r.rank, r.medal) for r in rows] == [
        ("KZ-1", 1, "gold"),
        ("TR-1", 1, "gold"),
        ("UZ-1", 3, "bronze"),
        ("HU-1", None, None),
    ]


def test_rows_stored_before_statuses_read_as_competing() -> None:
    old = b'{"rank":1,"competitor":"KZ-1","name":"N","member":"KZ","progress":1.0}'
    decoded = msgspec.json.decode(old, type=StandingsRow)
    assert decoded.status == "competing" and decoded.team == ()
    # Written back, the status is always there; an empty team is left out.
    assert b'"status":"competing"' in msgspec.json.encode(decoded)
    assert b'"team"' not in msgspec.json.encode(decoded)
