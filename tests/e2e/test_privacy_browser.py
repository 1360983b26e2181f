"""No hidden name, birth date or consent reaches the public (docs/privacy.md): `podium up` with a
championship of planted hidden names (tests/support/leaks.py), driven through marks, a status
change, a freeze and a reveal, a live skill's ticker and the whole ceremony of a skill, while a
tokenless screen records every frame of every public channel and Chromium renders the
spectators' page, two displays and a ceremony screen. Every public HTTP answer, every frame
(the recorder's and the pages' own), the pages' rendered text and `podium export results
--public` are then searched for the planted secrets. The jury's side still gets full names.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.ceremony import tie_for_gold
from tests.support.leaks import FeedRecorder, Planted, leaks, planted
from tests.support.people import judge_for
from tests.support.stack import PODIUM, Stack, launch, token, wait_ready
from tests.support.subprocesses import podium_env

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

WAIT_MS = 15_000
SCREENSHOTS = Path(__file__).parents[2] / "docs" / "screenshots"


@pytest.fixture(scope="module")
def plant(tmp_path_factory: pytest.TempPathFactory) -> Planted:
    return planted(tmp_path_factory.mktemp("planted"))


@pytest.fixture(scope="module")
def stack(plant: Planted, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    for started in launch(tmp_path_factory.mktemp("privacy"), ["--championship", str(plant.path)]):
        wait_ready(started)
        yield started


def until(check: Callable[[], bool], what: str, within_s: float = 30) -> None:
    deadline = time.monotonic() + within_s
    while not check():
        assert time.monotonic() < deadline, f"never: {what}"
        time.sleep(0.2)


class Driver:
    """The jury and the crew at work, through intake's API as their pages call it."""

    def __init__(self, stack: Stack, plant: Planted) -> None:
        self.stack, self.plant = stack, plant
        self.championship = plant.championship
        self.skill, self.live_skill = self.championship.skills[:2]
        self.chief = self.person("chief", self.skill.id)
        self.organizer = self.person("organizer", None)

    def person(self, role: str, skill: str | None) -> str:
        return next(e.id for e in self.championship.experts if e.role == role and e.skill == skill)

    def call(self, method: str, path: str, who: str, body: object = None) -> Any:
        headers = {"Authorization": f"Bearer {token(who, self.stack.data_dir)}"}
        url = self.stack.url("intake") + path
        answer = httpx.request(method, url, json=body, headers=headers, timeout=10)
        assert answer.status_code in (200, 201), (path, answer.text)
        return answer.json()

    def jury_board(self, skill: str) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token(self.organizer, self.stack.data_dir)}"}
        board: dict[str, Any] = httpx.get(
            self.stack.url("broadcast") + f"/api/standings/{skill}", headers=headers
        ).json()
        return board

    def public_board(self, skill: str) -> dict[str, Any]:
        board: dict[str, Any] = httpx.get(
            self.stack.url("broadcast") + f"/api/standings/{skill}"
        ).json()
        return board

    def golds(self, skill: str) -> int:
        return [r.get("medal") for r in self.jury_board(skill)["rows"]].count("gold")

    def mark(self, competitor: str, aspect: str, value: float) -> None:
        judge = judge_for(self.championship, self.championship.index.competitors[competitor])
        body = {"id": f"p-{competitor}", "competitor": competitor, "aspect": aspect, "value": value}
        self.call("POST", "/api/marks", judge.id, body)

    def work(self) -> None:
        """Freeze the first skill, mark it for a tie for gold, withdraw its team, reveal its
        final standings row by row; mark the hidden competitor of the live second skill."""
        skill = self.skill.id
        self.call("PUT", f"/api/skills/{skill}/visibility", self.chief, {"mode": "frozen"})
        results = tie_for_gold(self.championship, self.skill)
        for competitor, value in results.marks:
            self.mark(competitor.id, results.aspect, value)
        team = next(c for c in self.championship.competitors if c.team)
        status = {"status": "withdrawn", "reason": "left the hall"}
        self.call("PUT", f"/api/competitors/{team.id}/status", self.chief, status)
        live = min(self.championship.index.competitors_of(self.live_skill.id), key=lambda c: c.id)
        aspect = next(a for _, a in self.live_skill.aspects if a.kind == "measurement")
        self.mark(live.id, aspect.id, aspect.max_mark)
        until(lambda: self.golds(skill) == 2, "the tie for gold on the jury's board")
        rows = len(self.championship.index.competitors_of(skill))
        for _ in range(rows):
            self.call("POST", f"/api/skills/{skill}/reveal", self.chief)
        until(lambda: len(self.public_board(skill)["rows"]) == rows, "the whole reveal")
        until(
            lambda: any(r.get("total") for r in self.public_board(self.live_skill.id)["rows"]),
            "the live skill's mark",
        )


def open_page(browser: Browser, url: str, frames: list[str]) -> Page:
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.on("websocket", lambda ws: ws.on("framereceived", lambda data: frames.append(str(data))))
    page.goto(url)
    return page


def public_answers(stack: Stack, plant: Planted) -> dict[str, str]:
    """Every public GET of both services, answered without a token."""
    skills = [f"/api/standings/{s.id}" for s in plant.championship.skills]
    broadcast = ["/", "/display", "/api/championship", "/api/standings", *skills, "/api/medals"]
    intake = ["/api/championship", "/mark", "/chief", "/screens", "/ceremony", "/openapi.json"]
    health = ["/healthz", "/readyz", "/metrics"]
    found = {}
    for part, paths in (("broadcast", broadcast + health), ("intake", intake + health)):
        for path in paths:
            answer = httpx.get(stack.url(part) + path, timeout=10)
            assert answer.status_code == 200, (part, path, answer.status_code)
            found[f"{part} GET {path}"] = answer.text
    return found


def exported(stack: Stack, plant: Planted, *options: str) -> str:
    env = podium_env(
        {
            "PODIUM_NATS_URL": stack.url("nats", "nats"),
            "PODIUM_REDIS_URL": stack.url("redis", "redis"),
            "PODIUM_CHAMPIONSHIP": str(plant.path),
        }
    )
    argv = [*PODIUM, "export", "results", "--format", "json", *options]
    return subprocess.run(argv, check=True, capture_output=True, text=True, env=env).stdout


def run_ceremony(driver: Driver, stage: Page) -> dict[str, str]:
    """The first skill's ceremony with its Medallions, step by step on a ceremony screen: the
    screen's text at each step."""
    driver.call("PUT", "/api/screens/stage", driver.organizer, {"show": "ceremony"})
    script = {"skills": [driver.skill.id], "medallions": True}
    steps = driver.call("PUT", "/api/ceremony", driver.organizer, script)
    texts = {}
    for step in range(1, 5 + 3 + 1):
        driver.call("POST", "/api/ceremony/next", driver.organizer)
        shown = stage.locator(f'section.ceremony[data-step="{step}"]')
        expect(shown).to_be_visible(timeout=WAIT_MS)
        texts[f"ceremony screen at step {step}"] = stage.locator("body").inner_text()
    assert steps
    return texts


def test_no_hidden_name_birth_date_or_consent_reaches_the_public(
    browser: Browser, stack: Stack, plant: Planted
) -> None:
    driver = Driver(stack, plant)
    base = stack.url("broadcast")
    channels = [f"standings:{s.id}" for s in plant.championship.skills]
    channels += ["medals", "ticker", "ceremony", "screens"]
    page_frames: list[str] = []
    pages = {
        "spectators' page": open_page(browser, f"{base}/?lang=en", page_frames),
        "display of the frozen skill": open_page(
            browser, f"{base}/display?skill={driver.skill.id}&lang=en", page_frames
        ),
        "display of the live skill": open_page(
            browser, f"{base}/display?skill={driver.live_skill.id}&lang=en", page_frames
        ),
    }
    stage = open_page(browser, f"{base}/display?screen=stage&lang=en", page_frames)
    with FeedRecorder(stack.url("broadcast", "ws") + "/ws", channels) as feed:
        driver.work()
        # Each page shows a hidden competitor of its own, by initials.
        frozen, *_, live = plant.public.values()
        for page, hidden in zip(pages.values(), (frozen, frozen, live), strict=True):
            expect(page.locator("body")).to_contain_text(hidden, timeout=WAIT_MS)
        found = {label: page.locator("body").inner_text() for label, page in pages.items()}
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        pages["display of the frozen skill"].screenshot(
            path=str(SCREENSHOTS / "display-initials.png")
        )
        found |= run_ceremony(driver, stage)
        found |= public_answers(stack, plant)
        time.sleep(1)  # the last frames of the ceremony's final step
    found["the public feed's frames"] = "\n".join(feed.frames)
    found["the pages' feed frames"] = "\n".join(page_frames)
    found["podium export results --public"] = exported(stack, plant, "--public")

    assert leaks(found, plant.secrets) == []
    # Not vacuous: the hidden competitors were there, under their public names.
    shown = found["the public feed's frames"] + found["ceremony screen at step 1"]
    assert all(name in shown for name in plant.public.values()), plant.public
    assert feed.snapshots("ticker") and feed.snapshots("ceremony")
    print(f"searched {len(found)} public surfaces, {len(feed.frames) + len(page_frames)} frames")
    jury_still_sees_full_names(driver, stack, plant)
    signed_in_pages_name_in_full(browser, driver, plant)


def signed_in_pages_name_in_full(browser: Browser, driver: Driver, plant: Planted) -> None:
    """The chief's panel and an expert's marking page, signed in, show the full names."""
    first = next(iter(plant.full))
    expert = judge_for(plant.championship, plant.championship.index.competitors[first])
    for path, person in (("/chief", driver.chief), ("/mark", expert.id)):
        page = browser.new_page()
        signed = f"{path}?lang=en#token={token(person, driver.stack.data_dir)}"
        page.goto(driver.stack.url("intake") + signed)
        expect(page.locator("body")).to_contain_text(plant.full[first], timeout=WAIT_MS)
        page.close()


def jury_still_sees_full_names(driver: Driver, stack: Stack, plant: Planted) -> None:
    """The organisers' export, the jury's board on broadcast and the chief's competitors on
    intake name everyone in full."""
    jury = str(driver.jury_board(driver.skill.id))
    roster = str(driver.call("GET", "/api/competitors", driver.chief))
    full = exported(stack, plant)
    for competitor, name in plant.full.items():
        if plant.championship.index.competitors[competitor].skill == driver.skill.id:
            assert name in jury and name in roster, name
        assert name in full, name
