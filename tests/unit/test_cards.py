"""`podium cards`: who gets a card, in which order, with which codes, valid when; the page is
self-contained and the command refuses what it cannot print."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import msgspec
import pytest

from services.tools.cards import deck, page
from services.tools.cli import main
from shared.plumbing.tokens import TokenError, Verifier
from tests.support.people import SECRET, demo

CHAMPIONSHIP = demo()
ZONE = ZoneInfo(CHAMPIONSHIP.timezone)
NOW = dt.datetime(2025, 10, 8, 18, 0, tzinfo=ZONE).timestamp()


def at(text: str) -> float:
    return dt.datetime.fromisoformat(text).replace(tzinfo=ZONE).timestamp()


def test_a_day_a_time_or_nothing_sets_the_window_in_the_venues_zone() -> None:
    day = deck.window("2025-10-09", None, ZONE, NOW)
    assert (day.since, day.until) == (at("2025-10-09T00:00"), at("2025-10-10T00:00"))
    hours = deck.window("2025-10-09T07:00", "2025-10-09T20:00", ZONE, NOW)
    assert (hours.since, hours.until) == (at("2025-10-09T07:00"), at("2025-10-09T20:00"))
    utc = deck.window(None, "2025-10-09T20:00Z", ZONE, NOW)
    assert (
        utc.since is None and utc.until == dt.datetime(2025, 10, 9, 20, tzinfo=dt.UTC).timestamp()
    )
    assert deck.window(None, None, ZONE, NOW) == deck.Window(None, NOW + 16 * 3600)
    for since, until, problem in [
        ("9 October", None, "not an ISO date"),
        ("2025-10-09T20:00", "2025-10-09T07:00", "after --valid-from"),
        (None, "2025-10-07", "has passed"),
    ]:
        with pytest.raises(deck.CardsError, match=problem):
            deck.window(since, until, ZONE, NOW)


def test_one_card_per_person_chiefs_first_organizers_last_with_their_codes() -> None:
    everyone = deck.people_of(CHAMPIONSHIP, None)
    assert len(everyone) == len(CHAMPIONSHIP.experts)
    assert [p.role for p in everyone][-1] == "organizer"
    skill = CHAMPIONSHIP.skills[0].id
    mine = deck.people_of(CHAMPIONSHIP, skill)
    assert mine[0].role == "chief" and {p.skill for p in mine} == {skill}
    with pytest.raises(deck.CardsError, match="no skill"):
        deck.people_of(CHAMPIONSHIP, "no-such-skill")

    valid = deck.Window(NOW, NOW + 3600)
    chief, expert = mine[0], mine[1]
    organizer = everyone[-1]
    made = deck.cards_for([chief, expert, organizer], SECRET, "http://hall:8001", valid, NOW)
    pages = [[word for word, _ in card.codes] for card in made]
    assert pages == [["marking", "panel"], ["marking"], ["panel"]]
    verifier = Verifier(SECRET, clock=lambda: NOW + 1)
    for card in made:
        for _, link in card.codes:
            base, token = link.split("#token=")
            assert base in ("http://hall:8001/mark", "http://hall:8001/chief")
            claims = verifier.verify(token)
            assert (claims.expert, claims.nbf, claims.exp) == (card.person.id, NOW, NOW + 3600)
    with pytest.raises(TokenError, match="not valid before"):
        Verifier(SECRET, clock=lambda: NOW - 1).verify(made[0].codes[0][1].split("#token=")[1])


def test_the_page_holds_eight_cards_a_sheet_and_fetches_nothing() -> None:
    people = deck.people_of(CHAMPIONSHIP, None)[:11]
    valid = deck.Window(None, NOW + 3600)
    made = deck.cards_for(people, SECRET, "http://hall:8001", valid, NOW)
    html = page.page(CHAMPIONSHIP, made, valid, "kk")
    assert html.count('<section class="sheet">') == 2 and html.count('<article class="card"') == 11
    assert html.count("<svg") == sum(len(card.codes) for card in made)
    assert "Бет 1 / 2" in html and '<html lang="kk">' in html
    assert not re.search(r"""(src|href)=|url\(|@import|<script""", html)
    marked_up = msgspec.structs.replace(people[0], name="<b>Ada</b>")
    shown = page.page(CHAMPIONSHIP, [deck.Card(marked_up, ())], valid, "en")
    assert "&lt;b&gt;Ada" in shown and "<b>Ada" not in shown


def test_the_command_writes_a_private_file_or_says_what_is_wrong(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "deck.html"
    common = ["--data-dir", str(tmp_path / "data"), "-o", str(out)]
    skill = CHAMPIONSHIP.skills[0].id
    assert main(["cards", "--base-url", "http://10.0.0.5:8001/", "--skill", skill, *common]) == 0
    assert out.stat().st_mode & 0o077 == 0 and "http" not in out.read_text().split("<body>")[1]
    assert "cards on 2 pages" in capsys.readouterr().err
    for argv, problem in [
        (["--base-url", "10.0.0.5:8001"], "give intake's address"),
        (["--base-url", "http://h", "--skill", "nope"], "no skill"),
        (["--base-url", "http://h", "--valid-until", "yesterday"], "not an ISO date"),
        (["--base-url", "http://h", "--lang", "xx"], "--lang xx"),
    ]:
        assert main(["cards", *argv, *common]) == 2
        assert problem in capsys.readouterr().err
