"""The pages in a real browser (Debian's headless Chromium driven by playwright).

Screenshots go to test-artifacts/. In CI a missing browser is a failure, never a skip.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect, sync_playwright

from tests.e2e.test_podium_up import Stack, launch, token, wait_ready
from tests.support.people import demo, judge_for
from tests.support.processes import children_of

ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
CHAMPIONSHIP = demo()
COMPETITOR = CHAMPIONSHIP.competitors[0]
SKILL = CHAMPIONSHIP.index.skills[COMPETITOR.skill]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        assert not os.environ.get("CI"), "CI must install Debian's chromium (.ci/run does)"
        pytest.skip("no chromium on this machine: apt-get install chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    for started in launch(tmp_path, []):
        wait_ready(started)
        yield started


def post_mark(stack: Stack, value: float) -> None:
    judge = judge_for(CHAMPIONSHIP, COMPETITOR)
    aspect = next(a for _, a in SKILL.aspects if a.kind == "measurement")
    body = {
        "id": f"browser-{value}",
        "competitor": COMPETITOR.id,
        "aspect": aspect.id,
        "value": value,
    }
    headers = {"Authorization": f"Bearer {token(judge.id, stack.data_dir)}"}
    response = httpx.post(stack.url("intake") + "/api/marks", json=body, headers=headers)
    assert response.status_code == 201, response.text


ROW = f'tr[data-competitor="{COMPETITOR.id}"]'


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
    post_mark(stack, 2.5)
    expect(page.locator(ROW)).to_contain_text("2.50", timeout=10_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "spectator-phone-ru.png"), full_page=True)
    assert json.loads(page.locator("#championship").inner_text())["name"] == CHAMPIONSHIP.name
