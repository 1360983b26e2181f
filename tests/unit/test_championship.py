"""The championship file: the demo is sound, and a bad file is refused with every problem."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from shared.championship import ChampionshipError, parse
from shared.organiser import load
from shared.plumbing.settings import DEMO_CHAMPIONSHIP, DEMO_CHAMPIONSHIP_JSON


def demo_raw() -> dict[str, Any]:
    raw: dict[str, Any] = json.loads(DEMO_CHAMPIONSHIP_JSON.read_text())
    return raw


def problems_of(raw: Any) -> dict[str, str]:
    with pytest.raises(ChampionshipError) as refused:
        parse(raw)
    return {p.path: p.message for p in refused.value.problems}


def test_demo_is_turkicskills_size() -> None:
    championship = load(DEMO_CHAMPIONSHIP)
    assert [m.code for m in championship.members] == ["KZ", "TR", "AZ", "HU", "UZ", "KG"]
    assert 7 <= len(championship.skills) <= 9
    assert 65 <= len(championship.competitors) <= 75
    assert 85 <= len(championship.experts) <= 95
    assert any(e.role == "organizer" for e in championship.experts)
    for skill in championship.skills:
        assert abs(sum(a.max_mark for _, a in skill.aspects) - 100) < 0.001
        kinds = {a.kind for _, a in skill.aspects}
        assert kinds == {"measurement", "judgement"}
        assert sum(e.role == "chief" for e in championship.experts if e.skill == skill.id) == 1


def test_demo_names_are_in_each_members_own_script() -> None:
    championship = load(DEMO_CHAMPIONSHIP)
    kazakh = [c.name for c in championship.competitors if c.member == "KZ"]
    assert all(any("\u0400" <= ch <= "\u04ff" for ch in name) for name in kazakh)
    turkish = "".join(c.name for c in championship.competitors if c.member == "TR")
    assert set("şğıİçö") & set(turkish)


def test_every_competitor_can_be_judged_by_enough_non_compatriots() -> None:
    championship = load(DEMO_CHAMPIONSHIP)
    for competitor in championship.competitors:
        skill = championship.index.skills[competitor.skill]
        judges = [
            e
            for e in championship.experts
            if e.skill == competitor.skill and e.member != competitor.member
        ]
        assert len(judges) >= skill.rules.judges_per_aspect


def test_toml_and_json_give_the_same_championship(tmp_path: Path) -> None:
    path = tmp_path / "small.toml"
    path.write_text(
        """
id = "mini"
name = "Mini"
[[members]]
code = "KZ"
name = "Kazakhstan"
[[skills]]
id = "welding"
name = "Welding"
[skills.rules]
judges_per_aspect = 2
[[skills.criteria]]
id = "A"
name = "Welds"
[[skills.criteria.aspects]]
id = "A1"
kind = "measurement"
max_mark = 100
[[competitors]]
id = "KZ-W-1"
name = "Айгерім"
member = "KZ"
skill = "welding"
[[experts]]
id = "O-1"
name = "Org"
member = "KZ"
role = "organizer"
"""
    )
    from_toml = load(path)
    json_path = tmp_path / "small.json"
    json_path.write_text(json.dumps(json.loads(json.dumps(_toml_as_dict(path)))))
    assert load(json_path) == from_toml
    assert from_toml.skills[0].rules.judges_per_aspect == 2
    assert from_toml.skills[0].rules.scale_center == 700


def _toml_as_dict(path: Path) -> dict[str, Any]:
    import tomllib

    return tomllib.loads(path.read_text())


def test_a_broken_file_lists_every_problem_with_its_path() -> None:
    raw = demo_raw()
    raw["skills"][0]["criteria"][1]["aspects"][0]["max_mark"] = "ten"
    raw["skills"][1]["criteria"][0]["aspects"][0]["kind"] = "guess"
    raw["competitors"][3]["id"] = "has space"
    del raw["experts"][2]["name"]
    raw["experts"][4]["shoe_size"] = 42
    problems = problems_of(raw)
    assert set(problems) == {
        "skills[0].criteria[1].aspects[0].max_mark",
        "skills[1].criteria[0].aspects[0].kind",
        "competitors[3].id",
        "experts[2].name",
        "experts[4].shoe_size",
    }
    assert problems["experts[2].name"] == "is required"
    assert problems["experts[4].shoe_size"] == "unknown field"


def test_rules_beyond_types_are_all_reported() -> None:
    raw = demo_raw()
    raw["competitors"][1]["id"] = raw["competitors"][0]["id"]
    raw["competitors"][5]["member"] = "XX"
    raw["experts"][0]["skill"] = "knitting"
    raw["skills"][2]["criteria"][0]["aspects"][0]["max_mark"] += 1
    second = raw["skills"][3]["criteria"][0]["aspects"]
    second[1]["id"] = second[0]["id"]
    organizer = next(e for e in raw["experts"] if e["role"] == "organizer")
    organizer["skill"] = "welding"
    problems = problems_of(raw)
    assert "duplicate id" in problems["competitors[1].id"]
    assert "duplicate id" in problems["competitors[0].id"]
    assert "unknown member 'XX'" in problems["competitors[5].member"]
    assert "unknown skill 'knitting'" in problems["experts[0].skill"]
    assert "must total 100" in problems["skills[2].criteria"]
    assert "duplicate aspect id" in problems["skills[3].criteria[0].aspects[1].id"]
    assert any("organizer" in message for message in problems.values())


def test_rules_with_impossible_values_are_refused() -> None:
    raw = demo_raw()
    raw["skills"][0]["rules"] = {"judges_per_aspect": 0, "max_judge_spread": 5, "colour": "red"}
    problems = problems_of(raw)
    assert set(problems) == {
        "skills[0].rules.judges_per_aspect",
        "skills[0].rules.max_judge_spread",
        "skills[0].rules.colour",
    }


def test_not_an_object_and_unreadable_files_are_refused(tmp_path: Path) -> None:
    assert problems_of([1, 2]) == {"$": "expected an object, got a list"}
    bad = tmp_path / "bad.json"
    bad.write_text("{nope")
    with pytest.raises(ChampionshipError, match="not valid"):
        load(bad)
    with pytest.raises(ChampionshipError, match="cannot read"):
        load(tmp_path / "missing.json")


def test_demo_file_round_trips_unchanged() -> None:
    raw = demo_raw()
    assert parse(copy.deepcopy(raw)) == load(DEMO_CHAMPIONSHIP)
