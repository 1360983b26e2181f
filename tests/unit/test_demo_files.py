"""The demo ships as its organisers would hold it: a TOML, a CIS workbook a skill and a people
workbook, written by services/tools/demo/files.py; its JSON is what the import makes of them."""

from __future__ import annotations

from pathlib import Path

from services.tools.championship import encoded
from services.tools.demo import files
from shared.organiser import load
from shared.plumbing.settings import DEMO_CHAMPIONSHIP, DEMO_CHAMPIONSHIP_JSON

FOLDER = DEMO_CHAMPIONSHIP.parent


def test_the_demo_folder_holds_a_toml_a_workbook_a_skill_and_a_people_workbook() -> None:
    championship = load(DEMO_CHAMPIONSHIP)
    schemes = sorted(p.name for p in (FOLDER / "schemes").iterdir())
    assert schemes == sorted(f"{s.id}.xlsx" for s in championship.skills)
    assert (FOLDER / "people.xlsx").is_file()
    assert 'people = "people.xlsx"' in DEMO_CHAMPIONSHIP.read_text()


def test_the_committed_json_is_what_the_import_makes_of_the_workbooks() -> None:
    championship = load(DEMO_CHAMPIONSHIP)
    assert load(DEMO_CHAMPIONSHIP_JSON) == championship
    assert DEMO_CHAMPIONSHIP_JSON.read_bytes() == encoded(championship), (
        "run `make demo-files` and commit the result"
    )


def test_the_script_writes_the_demo_as_committed(tmp_path: Path) -> None:
    files.write(tmp_path)
    assert load(tmp_path / "championship.toml") == load(DEMO_CHAMPIONSHIP)
    assert (tmp_path / "championship.toml").read_text() == DEMO_CHAMPIONSHIP.read_text()


def test_the_demo_keeps_its_people_and_ids_and_gains_the_schemes_details() -> None:
    championship = load(DEMO_CHAMPIONSHIP)
    index = championship.index
    assert {"KZ-MR-1", "E-TR-MR", "C-MR", "O-KZ-1"} <= set(index.competitors) | set(index.experts)
    robotics = index.skills["mobile-robotics"]
    assert [c.id for c in robotics.criteria] == ["A", "B", "C", "D"]
    assert [s.id for s in robotics.criteria[0].sub_criteria] == ["A1", "A2"]
    for skill in championship.skills:
        for criterion, aspect in skill.aspects:
            assert aspect.id.startswith(f"{aspect.sub_criterion}.")
            assert aspect.sub_criterion.startswith(criterion.id)
            assert aspect.day in {"C1", "C2", "C3"} and aspect.wsos_section
            if aspect.kind == "judgement":
                assert len(aspect.descriptors) == 4 and all(aspect.descriptors)
            else:
                assert aspect.requirement and not aspect.descriptors
