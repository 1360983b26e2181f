"""Sign-in cards as a venue crew uses them, in Debian's headless Chromium against the whole
stack: print the cards of one skill, read their QR codes back from a screenshot, sign a tablet
in from a card, mark, revoke from the chief's panel, see the tablet stop and keep its queue,
sign in again with a new card and see the queued mark stored once.

The screenshots of the cards and of the chief's sign-ins go to docs/screenshots/.
"""

from __future__ import annotations

import io
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from shared.plumbing.tokens import Verifier, secret_in
from tests.e2e.test_marking_browser import (
    CHAMPIONSHIP,
    SKILL,
    TABLET,
    WAIT_MS,
    cut_network,
    marks_of,
    measure,
)
from tests.support.stack import PODIUM, Stack, launch, token, wait_ready

SCREENSHOTS = Path(__file__).parents[2] / "docs" / "screenshots"
CHIEF = next(e for e in CHAMPIONSHIP.experts if e.role == "chief" and e.skill == SKILL.id)
EXPERT = CHAMPIONSHIP.index.experts["E-KZ-MR"]
MEASURED = next(a for _, a in SKILL.aspects if a.kind == "measurement")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    for started in launch(tmp_path_factory.mktemp("signin"), []):
        wait_ready(started)
        yield started


def cards(stack: Stack, out: Path, *extra: str) -> Path:
    """`podium cards` for the skill, as the crew prints them before the briefing."""
    argv = [*PODIUM, "cards", "--base-url", stack.url("intake"), "--skill", SKILL.id]
    argv += ["--data-dir", str(stack.data_dir), "-o", str(out), *extra]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PODIUM_")}
    done = subprocess.run(argv, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert f"{len(people())} cards" in done.stderr
    return out


def people() -> list[str]:
    return [e.id for e in CHAMPIONSHIP.experts if e.skill == SKILL.id]


def scanned(browser: Browser, page_file: Path) -> dict[str, list[str]]:
    """Each card's QR codes as a phone would read them: decoded from a screenshot."""
    context = browser.new_context(viewport={"width": 900, "height": 1200}, device_scale_factor=2)
    page = context.new_page()
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(page_file.as_uri())
    assert all(url == page_file.as_uri() for url in fetched), f"the page fetched {fetched}"
    assert page.locator("section.sheet").count() == 2  # 11 people, 8 a page
    links = {}
    for card in page.locator("article.card").all():
        image = Image.open(io.BytesIO(card.screenshot()))
        links[str(card.get_attribute("data-person"))] = [
            # QR codes only: a phone's camera app reads those, and a decoder allowed every
            # format now and then "finds" a one-dimensional code in a card's text.
            b.text
            for b in zxingcpp.read_barcodes(
                image, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
            )
        ]
    context.close()
    return links


def the_cards_page(browser: Browser, page_file: Path) -> None:
    page = browser.new_page(viewport={"width": 794, "height": 1123})
    page.goto(page_file.as_uri())
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("section.sheet").first.screenshot(path=SCREENSHOTS / "cards.png")
    page.close()


@pytest.mark.browser
def test_cards_sign_a_tablet_in_and_a_revocation_stops_it_keeping_its_queue(
    browser: Browser, stack: Stack, tmp_path: Path
) -> None:
    page_file = cards(stack, tmp_path / "cards.html")
    assert page_file.stat().st_mode & 0o077 == 0  # live tokens: the owner's only
    the_cards_page(browser, page_file)
    links = scanned(browser, page_file)
    base = stack.url("intake")
    assert set(links) == set(people())
    verifier = Verifier(secret_in(stack.data_dir))
    for person, codes in links.items():
        pages = ["mark", "chief"] if person == CHIEF.id else ["mark"]
        assert sorted(c.split("#")[0] for c in codes) == sorted(f"{base}/{p}" for p in pages)
        for code in codes:
            assert verifier.verify(code.split("#token=")[1]).expert == person

    tablet = browser.new_context(viewport=TABLET)
    chief = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = tablet.new_page()
        page.goto(links[EXPERT.id][0])
        expect(page.locator("#who")).to_contain_text(EXPERT.name, timeout=WAIT_MS)
        competitor = str(page.locator("button.competitor").first.get_attribute("data-competitor"))
        page.locator(f'button.competitor[data-competitor="{competitor}"]').click()
        measure(page, MEASURED.id, "1.5")
        expect(page.locator("#status")).to_have_class("status saved", timeout=WAIT_MS)

        panel = chief.new_page()
        panel.goto(next(c for c in links[CHIEF.id] if "/chief#" in c))
        row = panel.locator(f'#sessions tr[data-person="{EXPERT.id}"]')
        expect(row).to_have_count(1, timeout=WAIT_MS)
        first_mark = marks_of(stack, competitor)[0]["id"]
        expect(row.locator("td").nth(4)).to_have_text(first_mark, timeout=WAIT_MS)

        # The tablet loses the network, and a mark waits in its queue.
        cut_network(tablet, offline=True)
        measure(page, MEASURED.id, "2.25")
        expect(page.locator("#status")).to_have_class("status waiting", timeout=WAIT_MS)

        row.locator("button.revoke").click()
        panel.locator("#revoke-reason").fill("tablet left unattended")
        panel.locator("#sessions button.revoke.primary").click()
        revoked_at = time.monotonic()
        expect(panel.locator("#sessions .notice.done")).to_contain_text(EXPERT.name)
        expect(row.locator(".badge")).to_be_visible(timeout=WAIT_MS)

        cut_network(tablet, offline=False)
        expect(page.locator("#revoked")).to_be_visible(timeout=WAIT_MS)
        print(f"tablet showed the revocation {time.monotonic() - revoked_at:.2f} s after it")
        expect(page.locator("#status")).to_have_class("status error")
        kept = page.locator("#revoked li")
        expect(kept).to_have_count(1)
        expect(kept).to_contain_text("2.25")
        expect(kept).to_contain_text(MEASURED.id)
        expect(page.locator(f'.aspect[data-aspect="{MEASURED.id}"] input')).to_be_disabled()
        queued = str(kept.get_attribute("data-mark"))
        assert queued not in {m["id"] for m in marks_of(stack, competitor)}
        trail = [m for m in audit(stack) if m["type"] == "revocation"]
        assert [(m["person"], m["reason"], m["who"]) for m in trail] == [
            (EXPERT.id, "tablet left unattended", CHIEF.id)
        ]

        # A new card, opened on the tablet's open page: the kept mark goes, once.
        again = scanned(browser, cards(stack, tmp_path / "again.html"))[EXPERT.id][0]
        page.goto(again)
        expect(page.locator("#who")).to_contain_text(EXPERT.name, timeout=WAIT_MS)
        expect(page.locator("#revoked")).to_be_hidden()
        expect(page.locator("#status")).to_have_class("status saved", timeout=WAIT_MS)
        stored = [m for m in marks_of(stack, competitor) if m["id"] == queued]
        assert [(m["value"], m["expert"]) for m in stored] == [(2.25, EXPERT.id)]

        rows = panel.locator(f'#sessions tr[data-person="{EXPERT.id}"]')
        expect(rows).to_have_count(2, timeout=WAIT_MS)
        expect(rows.locator(".badge")).to_have_count(1)
        snapshot(panel)
    finally:
        tablet.close()
        chief.close()


def audit(stack: Stack) -> list[dict[str, object]]:
    headers = {"Authorization": f"Bearer {token(CHIEF.id, stack.data_dir)}"}
    answer = httpx.get(
        stack.url("intake") + "/api/audit", params={"skill": SKILL.id}, headers=headers
    )
    commands: list[dict[str, object]] = answer.json()["commands"]
    return commands


def snapshot(panel: Page) -> None:
    panel.locator("#sessions").scroll_into_view_if_needed()
    panel.locator("#sessions").screenshot(path=SCREENSHOTS / "chief-sessions.png")
