"""A corpus of broken championship files (tests/data/broken-championships): each is refused
with every one of its problems, by path, and `podium` prints them all and starts nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.tools.cli import main
from shared.championship import ChampionshipError
from shared.organiser import load

CORPUS = Path(__file__).parents[1] / "data" / "broken-championships"

# Each file's problems: the path of each, and words its message must hold.
EXPECTED: dict[str, dict[str, str]] = {
    "a-list.json": {"$": "expected an object, got a list"},
    "empty.json": {"$": "not valid"},
    "not-json.json": {"$": "not valid: Expecting value: line 2"},
    "missing-fields.json": {
        "competitors[0].name": "is required",
        "experts[1].role": "is required",
        "skills[0].criteria[1].aspects[0].kind": "is required",
    },
    "duplicate-ids.json": {
        "members[0].code": "duplicate code 'KZ'",
        "members[2].code": "duplicate code 'KZ'",
        "competitors[0].id": "duplicate id 'KZ-WE-1'",
        "competitors[1].id": "duplicate id 'KZ-WE-1'",
        "experts[1].id": "duplicate id 'E-KZ-WE'",
        "experts[2].id": "duplicate id 'E-KZ-WE'",
        "skills[0].criteria[0].aspects[0].id": "duplicate aspect id 'A1'",
        "skills[0].criteria[1].aspects[0].id": "duplicate aspect id 'A1'",
    },
    "totals-not-100.json": {"skills[0].criteria": "total 99.5, must total 100"},
    "unknown-members.json": {
        "competitors[1].member": "unknown member 'XX'",
        "experts[2].member": "unknown member 'YY'",
    },
    "unknown-skills.json": {
        "competitors[0].skill": "unknown skill 'knitting'",
        "experts[1].skill": "unknown skill 'knitting'",
    },
    "wrong-types.json": {
        "languages": "Expected `array`, got `str`",
        "competitors[0].id": "matching regex",
        "experts[0].role": "Invalid enum value 'king'",
        "skills[0].criteria[0].aspects[0].max_mark": "Expected `float`, got `str`",
    },
    "unknown-fields.json": {"shoe_size": "unknown field", "competitors[0].age": "unknown field"},
    "impossible-rules.json": {
        "skills[0].rules.judges_per_aspect": ">= 1",
        "skills[0].rules.max_judge_spread": "<= 3",
    },
}


def test_the_corpus_is_what_the_test_expects() -> None:
    assert sorted(p.name for p in CORPUS.glob("*.json")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_broken_file_is_refused_with_all_its_problems(name: str) -> None:
    with pytest.raises(ChampionshipError) as refused:
        load(CORPUS / name)
    found = {problem.path: problem.message for problem in refused.value.problems}
    assert set(found) == set(EXPECTED[name])
    for path, words in EXPECTED[name].items():
        assert words in found[path], (path, found[path])


def test_podium_prints_every_problem_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("duplicate-ids.json", "wrong-types.json"):
        assert main(["token", "C-WE", "--championship", str(CORPUS / name)]) == 2
        run = capsys.readouterr()
        assert not run.out
        assert f"{len(EXPECTED[name])} problem(s)" in run.err
        assert all(path in run.err for path in EXPECTED[name]), run.err
