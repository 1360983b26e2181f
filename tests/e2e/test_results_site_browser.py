"""The results site after the demo day, opened from the disk (`file://`) in Chromium: the
index shows the medal table, a skill's standings lead to a competitor's passport, and not one
request fails or leaves the site's folder; on a phone the passport fits the screen.

Screenshots for docs/after-the-championship.md go to docs/screenshots/: site-index.png,
site-passport.png, and certificate.png (the first certificate of a skill, typeset to PNG).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import pytest
from playwright.sync_api import Browser, Page, Request

from services.tools.cli import main
from services.tools.results.certificates import certificates, typeset
from shared.plumbing.settings import Settings
from tests.support.marking_day import ranked_day
from tests.support.people import demo

A = TypeVar("A")
T = TypeVar("T")
SCREENSHOTS = Path(__file__).parents[2] / "docs" / "screenshots"
CHAMPIONSHIP = demo()
# All but the last skill final: the index shows both kinds.
FINAL = [skill.id for skill in CHAMPIONSHIP.skills[:-1]]


def in_a_thread(run: Callable[[A], T], argument: A) -> T:
    """Playwright's sync API holds this thread's event loop: what runs its own runs beside."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run, argument).result()


@pytest.fixture
def site(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo day ranked on real servers, then `podium publish` as a person runs it."""
    day = ranked_day(settings, CHAMPIONSHIP, [s.id for s in CHAMPIONSHIP.skills], FINAL)
    boards = in_a_thread(asyncio.run, day)
    monkeypatch.setenv("PODIUM_NATS_URL", settings.nats_url)
    monkeypatch.setenv("PODIUM_REDIS_URL", settings.redis_url)
    assert in_a_thread(main, ["publish", "-o", str(tmp_path / "site")]) == 0
    skill = CHAMPIONSHIP.index.skills[FINAL[0]]
    preview = typeset(certificates(CHAMPIONSHIP, boards[skill.id], "en"), "png", ppi=110)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "certificate.png").write_bytes(preview)
    return tmp_path / "site"


@pytest.fixture
def watched(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    """A page, and every request of it that failed or left the disk."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))

    def outside(request: Request) -> None:
        if not request.url.startswith("file://"):
            problems.append(f"outside: {request.url}")

    page.on("request", outside)
    yield page, problems
    context.close()


def test_the_site_from_the_disk_shows_the_medal_table_and_a_passport(
    site: Path, watched: tuple[Page, list[str]]
) -> None:
    page, problems = watched
    page.goto((site / "index.html").as_uri())
    table = page.locator("table.medal-table tbody tr")
    assert table.count() == len(CHAMPIONSHIP.members)
    assert "Medal table" in page.locator("h2").all_inner_texts()
    page.screenshot(path=str(SCREENSHOTS / "site-index.png"), full_page=True)

    page.locator("ul.skills a").first.click()
    page.locator("table.standings tbody tr a").first.click()
    assert page.locator("h2", has_text="Skills passport").is_visible()
    assert page.locator("ol.passport svg.bar").count() == len(CHAMPIONSHIP.skills[0].criteria)
    assert page.locator("ol.passport line.median").count() >= 1
    page.locator('nav.languages a[hreflang="kk"]').click()
    assert page.url.endswith(".html") and "/kk/competitors/" in page.url
    assert page.locator("html").get_attribute("lang") == "kk"
    # On paper: no language switch, the passport whole.
    page.emulate_media(media="print")
    assert not page.locator("nav.languages").is_visible()
    assert page.locator("ol.passport li").first.is_visible()
    assert problems == []


def test_a_passport_on_a_phone_fits_the_screen(site: Path, browser: Browser) -> None:
    phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page = phone.new_page()
    # The winner of the first skill: rows are in the board's order.
    first = json.loads((site / "results.json").read_bytes())["skills"][0]["rows"][0]
    page.goto((site / "ru" / "competitors" / f"{first['competitor']}.html").as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for shown in (page.locator("ol.passport svg.bar").last, page.locator(".side").last):
        box = shown.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    page.screenshot(path=str(SCREENSHOTS / "site-passport.png"), full_page=True)
    phone.close()
