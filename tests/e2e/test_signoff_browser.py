"""Signing marking forms in a real browser (Debian's headless Chromium) against `podium up`: an
expert signs on the marking page, a later correction by another expert voids it there, the
chief sees the form signed, "Final" names the unsigned forms, the chief reopens with a
reason, and the printable form fits one A4 page. Screenshots go to docs/screenshots/."""

from __future__ import annotations

import json
import logging
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from tests.support.signing import COMPETITORS, EXPERTS, SKILL, small_championship
from tests.support.stack import PODIUM, Stack, launch, wait_ready
from tests.support.subprocesses import podium_env

SCREENSHOTS = Path(__file__).parents[2] / "docs" / "screenshots"
TABLET = ViewportSize(width=1024, height=900)
# A4 at 96 dpi.
A4 = ViewportSize(width=794, height=1123)
WAIT_MS = 15_000
BIG = "big"
log = logging.getLogger("tests")
pytestmark = pytest.mark.browser


def championship_with_a_big_form() -> dict[str, Any]:
    """The sign-off's small championship, and a skill whose one form has 30 competitors and
    12 aspects: the most a printed form is made for."""
    data = small_championship()
    aspects = [
        {"id": f"P{n}", "kind": "measurement", "max_mark": 12 if n == 12 else 8,
         "sub_criterion": "P1", "description": f"Dimension {n} within tolerance"}
        for n in range(1, 13)
    ]  # fmt: skip
    criterion = {"id": "P", "name": "Precision", "aspects": aspects,
                 "sub_criteria": [{"id": "P1", "name": "Measured parts"}]}  # fmt: skip
    data["skills"].append({"id": BIG, "name": "Precision Machining", "criteria": [criterion]})
    data["competitors"] += [
        {"id": f"PM-{n}", "name": f"Competitor Number {n:02d} Longname", "member": "XYZ"[n % 3],
         "skill": BIG}
        for n in range(1, 31)
    ]  # fmt: skip
    return data


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    where = tmp_path_factory.mktemp("signoff")
    path = where / "signoff.json"
    path.write_text(json.dumps(championship_with_a_big_form()))
    for started in launch(where, ["--championship", str(path)]):
        wait_ready(started)
        yield started


def token(stack: Stack, person: str) -> str:
    argv = [*PODIUM, "token", person, "--data-dir", str(stack.data_dir)]
    argv += ["--championship", str(stack.data_dir / "championship.json")]
    run = subprocess.run(argv, check=True, capture_output=True, text=True, env=podium_env({}))
    return run.stdout.strip()


def api(stack: Stack, person: str, method: str, path: str, body: object = None) -> Any:
    headers = {"Authorization": f"Bearer {token(stack, person)}"}
    answer = httpx.request(method, stack.url("intake") + path, json=body, headers=headers)
    assert answer.status_code < 300, answer.text
    return answer.json()


def mark(stack: Stack, person: str, competitor: str, aspect: str, value: float) -> None:
    body = {"id": f"{person}-{competitor}-{aspect}-{value}", "competitor": competitor,
            "aspect": aspect, "value": value}  # fmt: skip
    api(stack, person, "POST", "/api/marks", body)


def sign(stack: Stack, person: str, form_id: str = "A1") -> None:
    form = f"/api/skills/{SKILL}/forms/{form_id}"
    digest = api(stack, person, "GET", form)["digest"]
    assert api(stack, person, "POST", f"{form}/signoff", {"digest": digest})["counted"]


def opened(context: BrowserContext, stack: Stack, page_path: str, person: str) -> Page:
    page = context.new_page()
    page.goto(f"{stack.url('intake')}{page_path}#token={token(stack, person)}")
    return page


@pytest.fixture
def tablet(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=TABLET)
    yield context
    context.close()


def test_experts_sign_the_chief_reopens_and_the_form_prints_on_a4(
    tablet: BrowserContext, browser: Browser, stack: Stack
) -> None:
    for n, competitor in enumerate(COMPETITORS):
        mark(stack, "E1", competitor, "M1", 6.5 + n)
        for judge in EXPERTS:
            mark(stack, judge, competitor, "J1", 2 if judge != "E3" else 3)
    expert = opened(tablet, stack, "/mark", "E1")
    expert.locator("#forms-toggle").click()
    card = expert.locator('.form-card[data-form="A1"]')
    expect(card.locator("button.sign")).to_be_enabled(timeout=WAIT_MS)
    expect(card.locator(".missing")).to_have_text("Nothing missing")
    expect(card.locator('td[data-aspect="J1"] strong').first).to_have_text("2")
    SCREENSHOTS.mkdir(exist_ok=True)
    expert.screenshot(path=str(SCREENSHOTS / "marking-forms-to-sign.png"), full_page=True)
    card.locator("button.sign").click()
    expect(card.locator('.signers li[data-person="E1"]')).to_contain_text("✓", timeout=WAIT_MS)
    expect(card).to_have_attribute("data-state", "signing")

    mark(stack, "E2", "C1", "M1", 7.0)  # a correction by another expert voids E1's signature
    expect(card).to_have_attribute("data-mine", "again", timeout=WAIT_MS)
    expect(card.locator(".sign-again")).to_be_visible()
    expect(card.locator('.signers li[data-person="E1"]')).to_contain_text("Not signed")
    expert.screenshot(path=str(SCREENSHOTS / "marking-forms-sign-again.png"), full_page=True)
    card.locator("button.sign").click()
    expect(card.locator('.signers li[data-person="E1"]')).to_contain_text("✓", timeout=WAIT_MS)

    # Each person on their own device: a browser context keeps its own sign-in.
    desk = browser.new_context(viewport=TABLET)
    chief = opened(desk, stack, "/chief", "CH")
    row = chief.locator('tr.form-row[data-form="A1"]')
    expect(row).to_have_attribute("data-state", "signing", timeout=WAIT_MS)
    for signer in ("E2", "E3"):
        own = browser.new_context(viewport=TABLET)
        signs_on_the_tablet(opened(own, stack, "/mark", signer), signer)
    signed_after = time.perf_counter()
    expect(row).to_have_attribute("data-state", "signed", timeout=WAIT_MS)
    seconds = time.perf_counter() - signed_after
    log.info("last signature to the chief's panel showing signed: %.2f s", seconds)
    expect(chief.locator(".unsigned-forms")).to_contain_text("not signed: B")
    chief.locator('button.mode[data-mode="final"]').click()
    expect(chief.locator("#steering .notice")).to_contain_text("B", timeout=WAIT_MS)
    chief.locator("#forms").screenshot(path=str(SCREENSHOTS / "chief-forms.png"))
    printed_on_a4(browser, stack)

    row.locator("button.reopen").click()
    chief.locator("#reopen-reason").fill("C2's drawing measured against the wrong sheet")
    row.locator("button.reopen.primary").click()
    expect(row).to_have_attribute("data-state", "open", timeout=WAIT_MS)
    expect(row.locator(".signer.void").first).to_contain_text("void")
    expect(card).to_have_attribute("data-mine", "again", timeout=WAIT_MS)
    made_official(browser, stack, chief)


def made_official(browser: Browser, stack: Stack, chief: Page) -> None:
    """Every form signed, the display says so beside "Provisional"; final makes it "Official"."""
    for signer in EXPERTS:
        sign(stack, signer)
    for competitor in COMPETITORS:
        mark(stack, "E1", competitor, "B1", 40.0)
    sign(stack, "E1", "B")
    display = browser.new_page(viewport={"width": 1280, "height": 720})
    display.goto(f"{stack.url('broadcast')}/display?skill={SKILL}&lang=en")
    status = display.locator("#status")
    expect(status).to_have_text(
        "Provisional results · 2 of 2 marking forms signed", timeout=WAIT_MS
    )
    expect(chief.locator(".unsigned-forms")).to_have_text("Signed", timeout=WAIT_MS)
    chief.locator('button.mode[data-mode="final"]').click()
    expect(chief.locator('button.mode[data-mode="final"]')).to_have_attribute(
        "aria-pressed", "true", timeout=WAIT_MS
    )
    expect(status).to_have_text("Official results", timeout=WAIT_MS)
    display.goto(f"{stack.url('broadcast')}/display?skill={SKILL}&lang=kk")
    expect(display.locator("#status")).to_have_text("Ресми нәтижелер", timeout=WAIT_MS)
    display.close()


def signs_on_the_tablet(page: Page, person: str) -> None:
    page.locator("#forms-toggle").click()
    card = page.locator('.form-card[data-form="A1"]')
    card.locator("button.sign").click()
    expect(card.locator(f'.signers li[data-person="{person}"]')).to_contain_text(
        "✓", timeout=WAIT_MS
    )


def printed_on_a4(browser: Browser, stack: Stack) -> None:
    headers = {"Authorization": f"Bearer {token(stack, 'OR')}"}
    context = browser.new_context(viewport=A4, extra_http_headers=headers)
    try:
        page = context.new_page()
        page.goto(f"{stack.url('intake')}/api/skills/{SKILL}/forms/A1/print")
        expect(page.locator("h2")).to_contain_text("Marking form A1")
        expect(page.locator(".digest")).to_have_text(re.compile(r"Digest [0-9a-f]{12}$"))
        page.screenshot(path=str(SCREENSHOTS / "printed-form.png"), full_page=True)
        page.goto(f"{stack.url('intake')}/api/skills/{BIG}/forms/P1/print")
        expect(page.locator("tbody tr")).to_have_count(30)
        pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        assert pages == 1, f"30 competitors and 12 aspects took {pages} A4 pages"
    finally:
        context.close()
    assert (SCREENSHOTS / "printed-form.png").stat().st_size > 10_000
