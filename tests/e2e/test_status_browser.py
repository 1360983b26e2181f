"""A competitor's status from the chief's panel to the spectators' page, in a real browser
(Debian's headless Chromium) against the whole stack `podium up` starts: the status control,
status badges, a team's names, the medal table's averages and the best overall."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, expect

from shared.plumbing.settings import DEMO_CHAMPIONSHIP_JSON
from tests.e2e.test_marking_browser import TABLET, signed_in
from tests.support.browser import ARTIFACTS
from tests.support.people import demo, judge_for
from tests.support.stack import Stack, launch, token, wait_ready

pytestmark = pytest.mark.browser

CHAMPIONSHIP = demo()
SKILL = CHAMPIONSHIP.index.skills["mobile-robotics"]
FIRST, SECOND, TEAM = CHAMPIONSHIP.index.competitors_of(SKILL.id)[:3]
CHIEF = next(e for e in CHAMPIONSHIP.experts if e.role == "chief" and e.skill == SKILL.id)
MEASURE = next(a for _, a in SKILL.aspects if a.kind == "measurement")
TEAM_NAMES = ["Ayşe Yılmaz", "Mehmet Demir"]
WAIT_MS = 10_000


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The demo championship, one of whose competitors is a team."""
    where = tmp_path_factory.mktemp("status")
    raw = json.loads(DEMO_CHAMPIONSHIP_JSON.read_text())
    for competitor in raw["competitors"]:
        if competitor["id"] == TEAM.id:
            competitor["team"] = TEAM_NAMES
    path = where / "championship.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    for started in launch(where, ["--championship", str(path)]):
        wait_ready(started)
        yield started


def mark(stack: Stack, competitor_id: str, value: float) -> None:
    competitor = CHAMPIONSHIP.index.competitors[competitor_id]
    judge = judge_for(CHAMPIONSHIP, competitor)
    body = {"id": f"s-{competitor_id}", "competitor": competitor_id, "aspect": MEASURE.id}
    headers = {"Authorization": f"Bearer {token(judge.id, stack.data_dir)}"}
    answer = httpx.post(
        stack.url("intake") + "/api/marks", json=body | {"value": value}, headers=headers
    )
    assert answer.status_code == 201, answer.text


def test_the_chief_marks_a_competitor_absent_and_the_spectators_see_it(
    browser: Browser, stack: Stack
) -> None:
    for competitor, value in ((FIRST.id, 2.0), (SECOND.id, 1.5), (TEAM.id, 1.0)):
        mark(stack, competitor, value)
    spectator = browser.new_page(viewport={"width": 1280, "height": 1400})
    spectator.goto(stack.url("broadcast") + f"/?skill={SKILL.id}")
    first_row = spectator.locator(f'#board tr[data-competitor="{FIRST.id}"]')
    expect(first_row).to_contain_text("2.00", timeout=WAIT_MS)
    team_row = spectator.locator(f'#board tr[data-competitor="{TEAM.id}"]')
    expect(team_row.locator(".team")).to_have_text(" · ".join(TEAM_NAMES))

    context = browser.new_context(viewport=TABLET)
    chief = signed_in(context, stack, CHIEF.id)
    chief.goto(stack.url("intake") + "/chief")
    row = chief.locator(f'#progress tr[data-competitor="{FIRST.id}"]')
    expect(row).to_have_attribute("data-status", "competing", timeout=WAIT_MS)
    row.locator("button.change-status").click()
    chief.locator("#status-choice").select_option("absent")
    chief.locator("button.save-status").click()  # no reason yet: nothing is sent
    expect(chief.locator("#status-reason")).to_be_focused()
    chief.locator("#status-reason").fill("did not come to the workshop on C1")
    chief.locator("button.save-status").click()
    expect(row).to_have_attribute("data-status", "absent", timeout=WAIT_MS)
    expect(row).to_contain_text("Absent (did not start)")
    ARTIFACTS.mkdir(exist_ok=True)
    chief.screenshot(path=str(ARTIFACTS / "chief-status-en.png"), full_page=True)
    context.close()

    # The spectators: the absent row last with its badge, nobody pushed down by it.
    expect(spectator.locator("#board tbody tr").last).to_have_attribute(
        "data-competitor", FIRST.id, timeout=WAIT_MS
    )
    expect(first_row.locator(".status-badge")).to_have_text("Absent")
    expect(spectator.locator(f'#board tr[data-competitor="{SECOND.id}"] td').first).to_have_text(
        "1"
    )
    medals = spectator.locator("#medals")
    expect(medals.locator("thead")).to_contain_text("Points per entrant")
    expect(medals.locator(".best-overall")).to_contain_text(
        f"Best of the championship: {SECOND.name} ({SECOND.member})", timeout=WAIT_MS
    )
    spectator.screenshot(path=str(ARTIFACTS / "spectator-status-en.png"), full_page=True)


def test_every_language_of_the_boards_has_every_word(browser: Browser, stack: Stack) -> None:
    page = browser.new_page()
    page.goto(stack.url("broadcast") + "/")
    missing = page.evaluate(
        """() => Object.fromEntries(Object.entries(WORDS).map(([lang, words]) =>
             [lang, Object.keys(WORDS.en).filter((key) => !words[key])]))"""
    )
    assert all(not keys for keys in missing.values()), missing


def test_the_spectators_page_speaks_the_new_words_in_russian(
    browser: Browser, stack: Stack
) -> None:
    page = browser.new_page()
    page.goto(stack.url("broadcast") + f"/?skill={SKILL.id}&lang=ru")
    expect(page.locator("#medals thead")).to_contain_text("Очки на участника", timeout=WAIT_MS)
    expect(page.locator("#medals thead")).to_contain_text("Средний балл по шкале")
