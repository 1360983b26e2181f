"""Birth dates and consents as organisers record them: in the people list (a workbook's date
cells, ISO or day.month.year text; yes, no or blank) and in a championship file (JSON or
TOML), each mistake refused at its cell or path; and the public championship made from them
names each competitor by their public name and carries neither."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import msgspec
import pytest

from services.tools.championship import summary
from shared.championship import ChampionshipError, parse
from shared.organiser import load
from shared.public.names import age_on
from shared.public.view import public_championship
from tests.support.people import demo
from tests.support.workbooks import PEOPLE, PEOPLE_HEADER, people_workbook, small_folder

HEADER = [*PEOPLE_HEADER, "Birth Date", "Consent"]


def with_private(rows: list[list[object]]) -> list[list[object]]:
    return [[*person, *extra] for person, extra in zip(PEOPLE, rows, strict=False)] + [
        [*person, None, None] for person in PEOPLE[len(rows) :]
    ]


def folder_with(tmp_path: Path, private: list[list[object]]) -> Path:
    path = small_folder(tmp_path)
    people_workbook(tmp_path / "people.xlsx", with_private(private), HEADER)
    return path


def test_birth_dates_and_consents_are_read_from_the_people_list(tmp_path: Path) -> None:
    path = folder_with(
        tmp_path,
        [[date(2009, 3, 1), "no"], ["2001-12-31", "Yes"], ["01.02.2008", ""], [None, None]],
    )
    championship = load(path)
    found = {c.id: (c.birth_date, c.consent) for c in championship.competitors}
    assert found == {
        "KZ-WT-1": (date(2009, 3, 1), False),
        "TR-WT-1": (date(2001, 12, 31), True),
        "AZ-WT-1": (date(2008, 2, 1), None),
        "HU-WT-1": (None, None),
    }


def test_a_date_that_is_no_date_and_a_consent_that_is_no_answer_are_refused_at_their_cells(
    tmp_path: Path,
) -> None:
    private: list[list[object]] = [["31.02.2008", "maybe"], ["next spring", ""]]
    rows = with_private(private)
    rows[4] = [*PEOPLE[4], "2000-01-01", "yes"]  # the chief: no birth date or consent there
    path = small_folder(tmp_path)
    people_workbook(tmp_path / "people.xlsx", rows, HEADER)
    with pytest.raises(ChampionshipError) as refused:
        load(path)
    found = {p.path: p.message for p in refused.value.problems}
    assert found == {
        "people.xlsx: People!H2": 'birth_date "31.02.2008" is no date: write it as 2008-05-31',
        "people.xlsx: People!I2": 'consent "maybe" must be yes, no or blank',
        "people.xlsx: People!H3": 'birth_date "next spring" is no date: write it as 2008-05-31',
        "people.xlsx: People!H6": "birth_date is for competitors only",
        "people.xlsx: People!I6": "consent is for competitors only",
    }


def raw_demo() -> dict[str, object]:
    raw: dict[str, object] = json.loads(msgspec.json.encode(demo()))
    return raw


def test_a_championship_file_with_bad_dates_is_refused_at_their_paths() -> None:
    raw = raw_demo()
    raw["starts"], raw["ends"] = "2025-10-09", "2025-10-01"
    competitors = raw["competitors"]
    assert isinstance(competitors, list)
    competitors[0]["birth_date"] = "2008-13-01"
    competitors[1]["birth_date"] = "2026-01-01"
    competitors[2]["consent"] = "yes"
    raw["privacy"] = {"public_names": "nicknames"}
    with pytest.raises(ChampionshipError) as refused:
        parse(json.loads(json.dumps(raw)))
    found = {p.path for p in refused.value.problems}
    assert found == {"competitors[0].birth_date", "competitors[2].consent", "privacy.public_names"}
    competitors[0]["birth_date"] = "2008-12-01"
    competitors[2]["consent"] = True
    del raw["privacy"]
    with pytest.raises(ChampionshipError) as refused:
        parse(raw)
    assert {p.path: p.message for p in refused.value.problems} == {
        "ends": "ends 2025-10-01 before it starts (2025-10-09)",
        "competitors[1].birth_date": "born 2026-01-01, after the championship",
    }


def test_the_public_championship_names_by_public_names_and_carries_nothing_private() -> None:
    raw = raw_demo()
    raw["starts"] = "2025-10-09"
    competitors = raw["competitors"]
    assert isinstance(competitors, list)
    competitors[0].update(name="Айзада Токтосунова", birth_date="2009-01-01", consent=None)
    competitors[1].update(name="Aigerim Serikova", birth_date="2000-01-01", consent=False)
    competitors[2].update(name="Ali Veli", birth_date="2007-10-09", consent=None)
    competitors[3].update(team=["Ömer Gizlioğlu", "Жасырын Адам"], consent=False)
    championship = parse(raw)
    public = public_championship(championship, today=date(2030, 1, 1))
    names = [c.name for c in public.competitors[:4]]
    assert names[:3] == ["А. Т.", "A. S.", "Ali Veli"]
    assert public.competitors[3].team == ("Ö. G.", "Ж. А.")
    encoded = msgspec.json.encode(public).decode()
    for word in (
        "birth_date",
        "consent",
        "Токтосунова",
        "Serikova",
        "Gizlioğlu",
        "Жасырын",
        "2009-01-01",
    ):
        assert word not in encoded
    assert public.index.competitors[championship.competitors[0].id].name == "А. Т."


def test_without_starts_the_age_is_taken_on_the_day_it_is_loaded() -> None:
    raw = raw_demo()
    raw["starts"] = raw["ends"] = None
    competitors = raw["competitors"]
    assert isinstance(competitors, list)
    competitors[0].update(name="Ali Veli", birth_date="2008-06-01", consent=None)
    championship = parse(raw)
    first = championship.competitors[0].id
    assert public_championship(championship, date(2026, 5, 31)).index.competitors[first].name == (
        "A. V."
    )
    assert public_championship(championship, date(2026, 6, 1)).index.competitors[first].name == (
        "Ali Veli"
    )


def test_the_demo_has_ages_16_to_22_and_a_few_minors_the_public_sees_as_initials() -> None:
    championship = demo()
    assert championship.starts is not None
    ages = {
        c.id: age_on(c.birth_date, championship.starts)
        for c in championship.competitors
        if c.birth_date
    }
    assert len(ages) == len(championship.competitors)
    assert min(ages.values()) == 16 and max(ages.values()) == 22
    public = public_championship(championship).index.competitors
    initials = {c.id for c in championship.competitors if public[c.id].name != c.name}
    minors_hidden = {i for i in initials if ages[i] < 18}
    assert 3 <= len(minors_hidden) <= 6 and len(initials) < 10
    assert any(not public[i].name.isascii() for i in minors_hidden)  # a Cyrillic one


def test_the_check_summary_counts_whom_the_public_sees_by_initials() -> None:
    shown = summary(demo())
    assert "names in public: full, ages on 2025-10-08" in shown
    assert "minors: 24; shown by initials only: 5 (3 minors without consent, 2 refused)" in shown
