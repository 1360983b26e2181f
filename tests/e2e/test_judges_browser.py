"""The chief's judgement analysis in Debian's headless Chromium against the whole stack: a
planted judge kind to one member's competitors shows flagged, with a warm cell marked with an
up arrow and a plus in the heatmap (a harsh one cool, a down arrow and a minus), and the table
follows a new score without a reload. The screenshot of the Judges section goes to
docs/screenshots/judges.png."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Locator, expect

from tests.e2e.test_marking_browser import signed_in
from tests.support.people import demo
from tests.support.stack import Stack, launch, token, wait_ready

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).parents[2] / "docs" / "screenshots"
CHAMPIONSHIP = demo()
SKILL = CHAMPIONSHIP.index.skills["mobile-robotics"]
CHIEF = next(e for e in CHAMPIONSHIP.experts if e.role == "chief" and e.skill == SKILL.id)
JUDGES = ("E-KZ-MR", "E-TR-MR", "E-AZ-MR", "E-UZ-MR", "E-KG-MR")
COMPETITORS = ("AZ-MR-1", "HU-MR-1", "TR-MR-1", "UZ-MR-1")
ASPECTS = [a.id for _, a in SKILL.aspects if a.kind == "judgement"]
# The others give TR's competitor 1 and everyone else 2; the kind judge gives TR's a 3, the
# harsh one gives AZ's a 1.
KIND, FAVOURED, HARSH, DISFAVOURED = "E-KZ-MR", "TR", "E-UZ-MR", "AZ"
WAIT_MS = 10_000


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    for started in launch(tmp_path_factory.mktemp("judges"), []):
        wait_ready(started)
        yield started


def score(judge: str, competitor: str) -> int:
    member = CHAMPIONSHIP.index.competitors[competitor].member
    if judge == KIND and member == FAVOURED:
        return 3
    if judge == HARSH and member == DISFAVOURED:
        return 1
    return 1 if member == FAVOURED else 2


def bearer(stack: Stack, judge: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(judge, stack.data_dir)}"}


def post(stack: Stack, headers: dict[str, str], marks: list[dict[str, object]]) -> None:
    answer = httpx.post(
        stack.url("intake") + "/api/marks/batch", json={"marks": marks}, headers=headers
    )
    assert answer.status_code == 200, answer.text
    assert all(item["status"] == 201 for item in answer.json()["results"]), answer.text


def every_score(stack: Stack) -> None:
    """Each judge's scores of every competitor not of their own member; the kind judge leaves
    the last aspect for later."""
    for judge in JUDGES:
        member = CHAMPIONSHIP.index.experts[judge].member
        aspects = ASPECTS[:-1] if judge == KIND else ASPECTS
        marks: list[dict[str, object]] = [
            {"id": f"{judge}-{c}-{a}", "competitor": c, "aspect": a, "value": score(judge, c)}
            for c in COMPETITORS
            for a in aspects
            if CHAMPIONSHIP.index.competitors[c].member != member
        ]
        post(stack, bearer(stack, judge), marks)


def background(cell: Locator) -> tuple[int, int, int]:
    rgb = cell.evaluate("(node) => getComputedStyle(node).backgroundColor")
    red, green, blue = (int(part) for part in rgb[rgb.index("(") + 1 : -1].split(",")[:3])
    return red, green, blue


def test_a_kind_judge_shows_flagged_and_warm_and_the_table_follows_new_scores(
    browser: Browser, stack: Stack
) -> None:
    every_score(stack)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    chief = signed_in(context, stack, CHIEF.id)
    chief.goto(stack.url("intake") + "/chief")
    section = chief.locator("#judges")
    kind_row = section.locator(f'table.judges-table tr[data-expert="{KIND}"]')
    expect(kind_row).to_have_class("flagged", timeout=WAIT_MS)
    # Each aspect: +2 on TR's, +1/3 on AZ's (beside the harsh judge's 1), 0 on the others.
    expect(kind_row.locator(".deviation")).to_have_text("+0.583")
    expect(section.locator("table.judges-table tbody tr").first).to_have_attribute(
        "data-expert", KIND
    )

    kind_cell = section.locator(f'table.heatmap tr[data-expert="{KIND}"] td[data-member="TR"]')
    expect(kind_cell).to_have_text("▲ +2.00")
    expect(kind_cell).to_have_class("heat kind level-3")
    red, _, blue = background(kind_cell)
    assert red > blue, "kinder than the panel is warm"
    harsh_cell = section.locator(f'table.heatmap tr[data-expert="{HARSH}"] td[data-member="AZ"]')
    expect(harsh_cell).to_have_text("▼ −1.00")
    red, _, blue = background(harsh_cell)
    assert blue > red, "harsher than the panel is cool"
    # Without colour: the arrow and sign above, and the border's style.
    style = "(node) => getComputedStyle(node).borderTopStyle"
    assert (kind_cell.evaluate(style), harsh_cell.evaluate(style)) == ("solid", "dashed")
    even = section.locator('table.heatmap tr[data-expert="E-AZ-MR"] td[data-member="HU"]')
    expect(even).to_have_class("heat even level-0")
    expect(even).to_have_text("0.00")

    # The kind judge's last score, a fair one (2 beside the others' 1), without a reload:
    # TR's cell becomes (2 + 2 + 2 + 1) / 4.
    late = {"id": "late", "competitor": "TR-MR-1", "aspect": ASPECTS[-1], "value": 2}
    headers = bearer(stack, KIND)
    posted = time.monotonic()
    post(stack, headers, [late])
    expect(kind_cell).to_have_text("▲ +1.75", timeout=WAIT_MS)
    print(f"judges: the late score on the chief's panel {time.monotonic() - posted:.2f} s after")
    expect(kind_row.locator("td").nth(1)).to_have_text(str(len(COMPETITORS) * 3 + 1))
    SCREENSHOTS.mkdir(exist_ok=True)
    # The page's sticky header would cover the section's top in a picture of the section alone.
    chief.evaluate("document.querySelector('header').style.position = 'static'")
    section.screenshot(path=str(SCREENSHOTS / "judges.png"))
    context.close()
