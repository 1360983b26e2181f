"""The pages in a real browser (Debian's headless Chromium driven by playwright).

Screenshots go to test-artifacts/. In CI a missing browser is a failure, never a skip.
"""

from __future__ import annotations

import functools
import json
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import msgspec
import pytest
from playwright.sync_api import Browser, expect

from shared.championship import Championship, Competitor
from shared.plumbing.settings import DEMO_CHAMPIONSHIP_JSON
from tests.support.browser import ARTIFACTS
from tests.support.people import demo, judge_for
from tests.support.processes import children_of
from tests.support.stack import Stack, launch, token, wait_ready

# Two of the demo's skills: enough for the rotation to go round (each slide is 3 s at least),
# and one skill for each kind of test, so that the tests, on one stack, never share a board:
# the reveal freezes OTHER's, the display and the phone each mark a competitor of SKILL's.
TWO_SKILLS = {skill.id for skill in demo().skills[:2]}
COMPETITOR = demo().competitors[0]
SKILL = demo().index.skills[COMPETITOR.skill]
OTHER = demo().index.skills[next(iter(TWO_SKILLS - {SKILL.id}))]
PHONE_COMPETITOR = demo().index.competitors_of(SKILL.id)[-1]
pytestmark = pytest.mark.browser


def two_skills(raw: dict[str, list[dict[str, object]]]) -> dict[str, list[dict[str, object]]]:
    """The demo as its JSON holds it, less every skill but TWO_SKILLS and their people."""
    kept = dict(raw)
    kept["skills"] = [s for s in raw["skills"] if s["id"] in TWO_SKILLS]
    for people in ("competitors", "experts"):
        kept[people] = [p for p in raw[people] if p.get("skill") in (None, *TWO_SKILLS)]
    return kept


RAW = two_skills(json.loads(DEMO_CHAMPIONSHIP_JSON.read_text()))
CHAMPIONSHIP = msgspec.convert(RAW, Championship)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """One `podium up` for the module, of the two-skill championship."""
    where = tmp_path_factory.mktemp("pages")
    path = where / "championship.json"
    path.write_text(json.dumps(RAW), encoding="utf-8")
    for started in launch(where, ["--championship", str(path)]):
        wait_ready(started)
        yield started


@functools.cache
def bearer(person: str, data_dir: Path) -> dict[str, str]:
    """`podium token` once per person: each run of it is a Python starting."""
    return {"Authorization": f"Bearer {token(person, data_dir)}"}


def post_mark(stack: Stack, value: float, competitor: Competitor = COMPETITOR) -> None:
    judge = judge_for(CHAMPIONSHIP, competitor)
    skill = CHAMPIONSHIP.index.skills[competitor.skill]
    aspect = next(a for _, a in skill.aspects if a.kind == "measurement")
    body = {
        "id": f"browser-{competitor.id}-{value}",
        "competitor": competitor.id,
        "aspect": aspect.id,
        "value": value,
    }
    headers = bearer(judge.id, stack.data_dir)
    response = httpx.post(stack.url("intake") + "/api/marks", json=body, headers=headers)
    assert response.status_code == 201, response.text


def jury(stack: Stack, skill: str, method: str, path: str, body: object = None) -> None:
    chief = next(e for e in CHAMPIONSHIP.experts if e.skill == skill and e.role == "chief")
    headers = bearer(chief.id, stack.data_dir)
    url = stack.url("intake") + f"/api/skills/{skill}/{path}"
    response = httpx.request(method, url, json=body, headers=headers)
    assert response.status_code == 201, response.text


def row(competitor: Competitor) -> str:
    return f'tr[data-competitor="{competitor.id}"]'


ROW = row(COMPETITOR)


def test_the_display_shows_the_board_follows_a_mark_and_speaks_kazakh(
    browser: Browser, stack: Stack
) -> None:
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(stack.url("broadcast") + f"/display?skill={SKILL.id}&lang=kk")
    expect(page.locator("#connection")).to_have_text("Тікелей", timeout=10_000)
    expect(page.locator("thead")).to_contain_text("Орын")
    expect(page.locator(ROW)).to_contain_text("0.00")
    began = time.monotonic()
    post_mark(stack, 1.5)
    expect(page.locator(ROW)).to_contain_text("1.50", timeout=5_000)
    print(f"mark on the display after {time.monotonic() - began:.2f}s")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "display-1080p-kk.png"))
    page.goto(stack.url("broadcast") + f"/display?skill={SKILL.id}&lang=ru")
    expect(page.locator("thead")).to_contain_text("Место", timeout=10_000)


def test_the_spectator_page_on_a_phone_survives_a_broadcast_restart(
    browser: Browser, stack: Stack
) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(stack.url("broadcast") + f"/?skill={SKILL.id}&lang=ru")
    expect(page.locator("#connection")).to_have_text("В эфире", timeout=10_000)
    broadcast = next(
        pid
        for pid in children_of(stack.process.pid)
        if "broadcast" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
    )
    os.kill(broadcast, 9)
    expect(page.locator("#connection")).to_have_text("Подключение…", timeout=10_000)
    expect(page.locator("#connection")).to_have_text("В эфире", timeout=30_000)
    post_mark(stack, 2.5, PHONE_COMPETITOR)
    expect(page.locator(row(PHONE_COMPETITOR))).to_contain_text("2.50", timeout=10_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "spectator-phone-ru.png"), full_page=True)
    assert json.loads(page.locator("#championship").inner_text())["name"] == CHAMPIONSHIP.name


def test_the_display_shows_who_overtook_whom_and_the_reveal_row_by_row(
    browser: Browser, stack: Stack
) -> None:
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(stack.url("broadcast") + f"/display?skill={OTHER.id}&lang=en")
    expect(page.locator("#connection")).to_have_text("Live", timeout=10_000)
    first, second, third = CHAMPIONSHIP.index.competitors_of(OTHER.id)[:3]
    for competitor, value in ((first, 3.0), (second, 2.0), (third, 1.0)):
        post_mark(stack, value, competitor)
    expect(page.locator(row(third))).to_contain_text("1.00", timeout=5_000)
    post_mark(stack, 4.0, third)  # third overtakes both
    expect(page.locator(row(third))).to_have_class(re.compile(r"\bup\b"), timeout=5_000)
    expect(page.locator(row(first))).to_have_class(re.compile(r"\bdown\b"))

    jury(stack, OTHER.id, "PUT", "visibility", {"mode": "frozen"})
    expect(page.locator("#status")).to_have_text("Results frozen", timeout=5_000)
    jury(stack, OTHER.id, "POST", "reveal")
    expect(page.locator("#status")).to_have_text("Results ceremony", timeout=5_000)
    expect(page.locator("tbody tr")).to_have_count(1)
    jury(stack, OTHER.id, "POST", "reveal")
    # The row just uncovered lights up; the one shown before stays as it was.
    expect(page.locator("tbody tr")).to_have_count(2, timeout=5_000)
    expect(page.locator("tbody tr.new")).to_have_count(1)
    expect(page.locator("tbody tr").nth(0)).to_have_class(re.compile(r"\bnew\b"))
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "display-reveal-en.png"))


def test_the_display_without_a_skill_rotates_through_skills_and_the_medal_table(
    browser: Browser, stack: Stack
) -> None:
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(stack.url("broadcast") + "/display?rotate=1&lang=kk")
    slide = page.locator("#slide")
    # rotate is held to at least 3 seconds: a slide must be readable from across the hall.
    for skill in CHAMPIONSHIP.skills:
        expect(slide).to_have_text(skill.name, timeout=6_000)
        expect(page.locator("table.board")).to_be_visible()
    expect(slide).to_have_text("Медальдар кестесі", timeout=6_000)
    expect(page.locator("table.medals")).to_be_visible()
    expect(slide).to_have_text(CHAMPIONSHIP.skills[0].name, timeout=6_000)
