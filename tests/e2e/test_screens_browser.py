"""The venue crew's control in a real browser (Debian's headless Chromium): named displays
assigned from the crew page and kept across a reload, two broadcast replicas alike, the high
contrast display measured, the whole ceremony of the demo championship run from the console with
a tie for gold, and a display turning stale while broadcast is dead.

Screenshots for the docs go to docs/screenshots/ (screens-crew, display-high-contrast,
ceremony-step).
"""

from __future__ import annotations

import contextlib
import json
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from services.tools.stack.servers import die_with_parent
from shared.championship import Competitor
from shared.plumbing.settings import Settings
from shared.plumbing.tokens import secret_in
from tests.support.ceremony import Results, tie_for_gold
from tests.support.people import SECRET, demo, judge_for, token_of
from tests.support.servers import free_port, nats_server, redis_server, running
from tests.support.stack import Stack, launch, token, wait_ready
from tests.support.subprocesses import podium_env, podiums, service

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

CHAMPIONSHIP = demo()
ORGANIZER = next(e for e in CHAMPIONSHIP.experts if e.role == "organizer")
SCREENSHOTS = Path(__file__).parents[2] / "docs" / "screenshots"
HALL = {"width": 1920, "height": 1080}
WAIT_MS = 10_000
PUBLIC_URL = "https://results.turkicskills.example/"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """One `podium up` for the module, with a public address for the displays' QR code."""
    root = tmp_path_factory.mktemp("crew")
    for started in launch(root, [], {"PODIUM_PUBLIC_URL": PUBLIC_URL}):
        wait_ready(started)
        yield started


def bearer(stack: Stack, person: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(person, stack.data_dir)}"}


def named_display(browser: Browser, base: str, name: str, lang: str = "en") -> Page:
    page = browser.new_page(viewport=HALL)  # type: ignore[arg-type]
    page.goto(f"{base}/display?screen={name}&lang={lang}")
    return page


def seconds_until(pages: list[Page], condition: str, act: Callable[[], object]) -> float:
    """Seconds from `act` until `condition` (JS) holds on every page, as each page's own clock
    saw the change happen: a page in the background has its polling slowed down, not its DOM."""
    for page in pages:
        page.evaluate(
            f"""() => {{
              window.metAt = null;
              const check = {condition};
              const observer = new MutationObserver(() => {{
                if (window.metAt !== null || !check()) return;
                window.metAt = Date.now();
                observer.disconnect();
              }});
              const all = {{childList: true, subtree: true, characterData: true}};
              observer.observe(document.body, all);
            }}"""
        )
    began = pages[0].evaluate("Date.now()")
    act()
    met = []
    for page in pages:
        page.wait_for_function("() => window.metAt !== null", timeout=WAIT_MS)
        met.append(page.evaluate("window.metAt"))
    return float(max(met) - began) / 1000


def slide_is(text: str) -> str:
    return f"() => document.getElementById('slide').textContent === {json.dumps(text)}"


def message_is(text: str) -> str:
    found = "document.querySelector('.message-text')"
    return f"() => {found} !== null && {found}.textContent === {json.dumps(text)}"


def post_marks(stack: Stack, skill_id: str, marks: list[tuple[Competitor, float]]) -> None:
    skill = CHAMPIONSHIP.index.skills[skill_id]
    aspect = next(a for _, a in skill.aspects if a.kind == "measurement")
    for competitor, value in marks:
        judge = judge_for(CHAMPIONSHIP, competitor)
        body = {"id": f"crew-{competitor.id}-{value}", "competitor": competitor.id,
                "aspect": aspect.id, "value": value}  # fmt: skip
        posted = httpx.post(
            stack.url("intake") + "/api/marks", json=body, headers=bearer(stack, judge.id)
        )
        assert posted.status_code in (200, 201), posted.text


def jury_board(stack: Stack, skill: str, ready: Callable[[dict[str, Any]], bool]) -> None:
    headers = bearer(stack, ORGANIZER.id)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = httpx.get(stack.url("broadcast") + f"/api/standings/{skill}", headers=headers)
        if found.status_code == 200 and ready(found.json()):
            return
        time.sleep(0.1)
    raise AssertionError(f"ranking never showed the jury the expected board of {skill}")


def test_the_crew_assigns_every_named_display_from_one_page_and_a_reload_keeps_it(
    browser: Browser, stack: Stack
) -> None:
    skill, *rotation = CHAMPIONSHIP.skills[1:4]
    broadcast = stack.url("broadcast")
    hall_a = named_display(browser, broadcast, "hall-a", "en")
    hall_b = named_display(browser, broadcast, "hall-b", "kk")
    foyer = named_display(browser, broadcast, "foyer", "ru")
    crew = browser.new_page(viewport={"width": 1400, "height": 1100})
    crew.goto(stack.url("intake") + f"/screens?lang=en#token={token(ORGANIZER.id, stack.data_dir)}")

    def card(name: str) -> Any:
        return crew.locator(f'article.screen[data-screen="{name}"]')

    for name in ("hall-a", "hall-b", "foyer"):
        expect(card(name).locator(".state")).to_have_text("Connected", timeout=15_000)

    # One by one: a skill for hall-a, the medal table for hall-b.
    crew.locator("#choice-skill").select_option(skill.id)
    delays = [
        seconds_until(
            [hall_a], slide_is(skill.name), card("hall-a").locator("button.assign-one").click
        )
    ]
    crew.locator('button.kind[data-kind="medals"]').click()
    delays.append(
        seconds_until(
            [hall_b],
            slide_is("Медальдар кестесі"),
            card("hall-b").locator("button.assign-one").click,
        )
    )
    expect(hall_b.locator("table.medals")).to_be_visible()

    # All at once: every screen ticked, one message.
    crew.locator("#select-all").click()
    crew.locator('button.kind[data-kind="message"]').click()
    crew.locator("#choice-text").fill("Lunch until 14:00")
    expect(crew.locator("#assign-selected")).to_have_text("Show on the ticked screens (3)")
    delays.append(
        seconds_until(
            [hall_a, hall_b, foyer],
            message_is("Lunch until 14:00"),
            crew.locator("#assign-selected").click,
        )
    )
    shown = ", ".join(f"{d * 1000:.0f}" for d in delays)
    print(f"crew page to screen (one, one, three at once): {shown} ms")

    # A reload keeps what the crew said.
    hall_a.reload()
    hall_a.wait_for_function(message_is("Lunch until 14:00"), timeout=WAIT_MS)

    # Skills in turn for the foyer, a skill again for hall-a.
    crew.locator("#select-none").click()
    crew.locator('button.kind[data-kind="rotation"]').click()
    for other in rotation:
        crew.locator(f'label[data-skill="{other.id}"] input').check()
    crew.locator("#choice-every").fill("5")
    card("foyer").locator("button.assign-one").click()
    expect(foyer.locator("#slide")).to_have_text(rotation[0].name, timeout=WAIT_MS)
    expect(foyer.locator("#slide")).to_have_text(rotation[1].name, timeout=WAIT_MS)
    crew.locator('button.kind[data-kind="skill"]').click()
    crew.locator("#choice-skill").select_option(skill.id)
    card("hall-a").locator("button.assign-one").click()
    expect(hall_a.locator("#slide")).to_have_text(skill.name, timeout=WAIT_MS)

    expect(card("hall-b").locator(".shows")).to_have_text("Shows: Message: “Lunch until 14:00”")
    expect(card("foyer").locator(".shows")).to_contain_text(rotation[1].name)
    expect(card("foyer").locator(".facts")).to_contain_text("Русский")
    for name in ("hall-a", "hall-b", "foyer"):
        preview = crew.frame_locator(f'article.screen[data-screen="{name}"] iframe')
        expect(preview.locator("#connection")).to_be_visible(timeout=WAIT_MS)
    expect(
        crew.frame_locator('article.screen[data-screen="hall-b"] iframe').locator(".message-text")
    ).to_have_text("Lunch until 14:00")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    crew.screenshot(path=str(SCREENSHOTS / "screens-crew.png"), full_page=True)


def test_two_broadcast_replicas_show_a_named_screen_alike(
    browser: Browser, stack: Stack, tmp_path: Path
) -> None:
    settings = Settings(
        nats_url=f"nats://127.0.0.1:{stack.ports['nats']}",
        redis_url=f"redis://127.0.0.1:{stack.ports['redis']}/0",
        secret=secret_in(stack.data_dir),
    )
    with service("broadcast", settings, tmp_path / "broadcast-b.log") as second:
        screens = [
            named_display(browser, stack.url("broadcast"), "twin"),
            named_display(browser, second, "twin"),
        ]
        headers = bearer(stack, ORGANIZER.id)
        skill = CHAMPIONSHIP.skills[5]
        for show, shown in (
            ({"show": "message", "text": "Replicas agree"}, message_is("Replicas agree")),
            ({"show": "skill", "skill": skill.id}, slide_is(skill.name)),
        ):
            put = httpx.put(stack.url("intake") + "/api/screens/twin", json=show, headers=headers)
            assert put.status_code == 201, put.text
            for page in screens:
                page.wait_for_function(shown, timeout=WAIT_MS)
        rows = [page.locator("tbody tr").all_inner_texts() for page in screens]
        assert rows[0] == rows[1]
        assert len(rows[0]) == len(CHAMPIONSHIP.index.competitors_of(skill.id))


# WCAG's contrast ratio of every visible piece of text against what lies behind it, with the
# colours the browser computed (semi-transparent colours and faded ancestors blended in).
CONTRAST = """() => {
  const parse = (c) => {
    const [r, g, b, a = 1] = c.match(/[\\d.]+/g).map(Number);
    return {r, g, b, a};
  };
  const over = (top, bottom) => ({r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a), b: top.b * top.a + bottom.b * (1 - top.a), a: 1});
  const luminance = ({r, g, b}) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const behind = (node) => {
    const layers = [];
    for (let n = node; n; n = n.parentElement) {
      const colour = parse(getComputedStyle(n).backgroundColor);
      if (colour.a > 0) layers.push(colour);
      if (colour.a >= 1) break;
    }
    const white = {r: 255, g: 255, b: 255, a: 1};
    return layers.reverse().reduce((below, layer) => over(layer, below), white);
  };
  const opacity = (node) => {
    let o = 1;
    for (let n = node; n; n = n.parentElement) o *= Number(getComputedStyle(n).opacity);
    return o;
  };
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent.trim();
    const node = walker.currentNode.parentElement;
    const box = node.getBoundingClientRect();
    const hidden = getComputedStyle(node).visibility === "hidden";
    if (!text || !box.width || !box.height || hidden) continue;
    const background = behind(node);
    const ink = parse(getComputedStyle(node).color);
    const shown = over({...ink, a: ink.a * opacity(node)}, background);
    const [light, dark] = [luminance(shown), luminance(background)].sort((x, y) => y - x);
    found.push({text: text.slice(0, 40), ratio: (light + 0.05) / (dark + 0.05),
                size: parseFloat(getComputedStyle(node).fontSize)});
  }
  return found;
}"""


def test_the_high_contrast_display_measures_seven_to_one_with_larger_type(
    browser: Browser, stack: Stack
) -> None:
    skill = CHAMPIONSHIP.skills[4]
    first, second, third, fourth = CHAMPIONSHIP.index.competitors_of(skill.id)[:4]
    post_marks(stack, skill.id, [(first, 4.0), (second, 3.0), (third, 2.0), (fourth, 1.0)])
    address = stack.url("broadcast") + f"/display?skill={skill.id}&lang=en"
    plain = browser.new_page(viewport=HALL)  # type: ignore[arg-type]
    plain.goto(address)
    page = browser.new_page(viewport=HALL)  # type: ignore[arg-type]
    page.goto(address + "&contrast=high")
    for shown in (plain, page):
        for medal in ("gold", "silver", "bronze"):
            expect(shown.locator(f"tbody tr.{medal}")).to_have_count(1, timeout=WAIT_MS)
    expect(page.locator("figure.qr img")).to_be_visible()
    assert page.locator("figure.qr img").evaluate("img => img.naturalWidth") > 0
    measured = page.evaluate(CONTRAST)
    assert len(measured) > 40, measured
    weak = [m for m in measured if m["ratio"] < 7]
    assert weak == [], weak
    print(f"high contrast: the weakest text at {min(m['ratio'] for m in measured):.1f}:1")
    body = "el => parseFloat(getComputedStyle(el).fontSize)"
    assert page.locator("body").evaluate(body) > 1.2 * plain.locator("body").evaluate(body)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "display-high-contrast.png"))
    qr = httpx.get(stack.url("broadcast") + "/qr.svg")
    assert qr.status_code == 200 and qr.headers["content-type"].startswith("image/svg+xml")


def expected_steps(results: Results, medallions: bool) -> dict[int, list[str]]:
    """The people each of the first skill's steps names, in the order the hall sees them."""
    steps = [results.called, *([results.medallions] if medallions else []), results.bronze, (),
             results.gold]  # fmt: skip
    return {n: [c.id for c in people] for n, people in enumerate(steps, start=1)}


def test_the_whole_ceremony_of_the_demo_from_the_console_with_a_tie_for_gold(
    browser: Browser, stack: Stack
) -> None:
    skill = CHAMPIONSHIP.skills[0]  # the first in the championship's order, so the first called
    results = tie_for_gold(CHAMPIONSHIP, skill)
    chief = next(e for e in CHAMPIONSHIP.experts if e.role == "chief" and e.skill == skill.id)
    frozen = httpx.put(
        stack.url("intake") + f"/api/skills/{skill.id}/visibility",
        json={"mode": "frozen"},
        headers=bearer(stack, chief.id),
    )
    assert frozen.status_code == 201, frozen.text
    post_marks(stack, skill.id, list(results.marks))
    jury_board(stack, skill.id, lambda b: [r.get("medal") for r in b["rows"]].count("gold") == 2)
    headers = bearer(stack, ORGANIZER.id)
    put = httpx.put(
        stack.url("intake") + "/api/screens/stage", json={"show": "ceremony"}, headers=headers
    )
    assert put.status_code == 201

    frames: list[dict[str, Any]] = []
    stage = browser.new_page(viewport=HALL)  # type: ignore[arg-type]
    stage.on(
        "websocket",
        lambda ws: ws.on("framereceived", lambda data: frames.append(json.loads(data))),
    )
    stage.goto(stack.url("broadcast") + "/display?screen=stage&lang=en")
    expect(stage.locator('section.ceremony[data-step="0"]')).to_be_visible(timeout=WAIT_MS)
    console = browser.new_page(viewport={"width": 1400, "height": 1000})
    console.goto(
        stack.url("intake") + f"/ceremony?lang=en#token={token(ORGANIZER.id, stack.data_dir)}"
    )
    default_steps = 4 * len(CHAMPIONSHIP.skills) + 3
    expect(console.locator("#count")).to_have_text(f"Step 0 of {default_steps}", timeout=WAIT_MS)
    console.locator("#medallions").check()
    console.locator("#set-script").click()
    steps = 5 * len(CHAMPIONSHIP.skills) + 3
    expect(console.locator("#count")).to_have_text(f"Step 0 of {steps}", timeout=WAIT_MS)
    expect(console.locator("#steps li")).to_have_count(steps)

    expected = expected_steps(results, medallions=True)
    shown: dict[int, list[str]] = {}
    delays = []

    def step_to(step: int, button: str) -> None:
        selector = f'section.ceremony[data-step="{step}"]'
        shown_now = f"() => document.querySelector('{selector}') !== null"
        delays.append(seconds_until([stage], shown_now, console.locator(button).click))
        people = stage.locator(f"{selector} li[data-competitor]")
        shown[step] = people.evaluate_all("found => found.map(li => li.dataset.competitor)")

    for step in range(1, steps + 1):
        step_to(step, "#next")
        if step == 5:  # gold: both tied golds together, on one step
            expect(stage.locator(".ceremony-title")).to_contain_text("Gold")
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            stage.screenshot(path=str(SCREENSHOTS / "ceremony-step.png"))
            step_to(4, "#back")
            assert shown[4] == [] and stage.locator(".not-awarded").is_visible()
            step_to(5, "#next")
    print(f"console to ceremony screen: {max(delays) * 1000:.0f} ms at most, {len(delays)} steps")
    assert {n: shown[n] for n in expected} == expected
    expect(console.locator("#next")).to_be_disabled()
    expect(console.locator("#upcoming")).to_have_text("End of the ceremony")
    over = httpx.post(stack.url("intake") + "/api/ceremony/next", headers=headers)
    assert over.status_code == 409

    # On the wire: the ceremony screen got the crew's assignments and the ceremony's steps,
    # never a board; each step's frame named that step's people and no one else.
    channels = {f.get("channel") for f in frames if f.get("type") == "snapshot"}
    assert channels == {"screens", "ceremony"}, channels
    for frame in frames:
        if frame.get("channel") == "ceremony" and frame["data"]["step"] in expected:
            called = [c["competitor"] for c in frame["data"]["called"]]
            assert called == expected[frame["data"]["step"]], frame
    medallion = results.medallions[0].id
    early = [f for f in frames if medallion in json.dumps(f) and f["data"]["step"] < 2]
    assert early == []
    public = httpx.get(stack.url("broadcast") + f"/api/standings/{skill.id}").json()
    assert public["visibility"] == "frozen" and not any("medal" in r for r in public["rows"])


def start_broadcast(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "services", "broadcast"],
            env=env | {"PODIUM_BROADCAST_PORT": str(port)},
            stdout=out,
            stderr=out,
            preexec_fn=die_with_parent,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, f"broadcast exited; see {log}"
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return process
        time.sleep(0.1)
    raise AssertionError(f"broadcast not ready; see {log}")


def test_a_display_looks_stale_while_broadcast_is_dead_and_fresh_once_it_is_back(
    browser: Browser, tmp_path: Path
) -> None:
    skill = CHAMPIONSHIP.skills[6]
    competitor = CHAMPIONSHIP.index.competitors_of(skill.id)[0]
    aspect = next(a for _, a in skill.aspects if a.kind == "measurement")
    venue = ZoneInfo(CHAMPIONSHIP.timezone)
    with (
        running(nats_server(tmp_path / "nats")) as nats,
        running(redis_server(tmp_path / "redis")) as redis,
    ):
        env = podium_env(
            {
                "PODIUM_NATS_URL": f"nats://127.0.0.1:{nats.port}",
                "PODIUM_REDIS_URL": f"redis://127.0.0.1:{redis.port}/0",
                "PODIUM_SECRET": SECRET,
            }
        )
        with podiums([("ranking", "ranking", env), ("intake", "intake", env)], tmp_path) as parts:
            intake = parts[1].url
            port = free_port()
            broadcast = start_broadcast(env, port, tmp_path / "broadcast.log")
            try:
                page = browser.new_page(viewport=HALL)  # type: ignore[arg-type]
                page.goto(f"http://127.0.0.1:{port}/display?skill={skill.id}&lang=en")
                row = page.locator(f'tr[data-competitor="{competitor.id}"]')
                expect(row).to_contain_text("0.00", timeout=WAIT_MS)
                expect(page.locator("#stale")).to_be_hidden()

                killed = time.monotonic()
                killed_at = datetime.now(venue)
                broadcast.send_signal(signal.SIGKILL)
                broadcast.wait()
                page.wait_for_function(
                    "() => !document.getElementById('stale').hidden", timeout=15_000, polling=50
                )
                appeared = time.monotonic() - killed
                banner = page.locator("#stale").inner_text()
                print(f"stale banner {appeared:.2f} s after broadcast died: {banner!r}")
                assert 5.0 <= appeared <= 8.0
                found = re.search(r"(\d\d):(\d\d):(\d\d)", banner)
                assert found is not None and banner.startswith("Connection lost"), banner
                # The last time the display heard from its feed, as the venue's clocks say.
                said = killed_at.replace(hour=int(found[1]), minute=int(found[2]),
                                         second=int(found[3]), microsecond=0)  # fmt: skip
                assert timedelta(seconds=-7) <= said - killed_at <= timedelta(seconds=1), said

                # A mark while the screen cannot hear: it shows once the feed is back.
                judge = judge_for(CHAMPIONSHIP, competitor)
                body = {"id": "stale-1", "competitor": competitor.id, "aspect": aspect.id,
                        "value": 1.25}  # fmt: skip
                auth = {"Authorization": f"Bearer {token_of(judge, SECRET)}"}
                posted = httpx.post(intake + "/api/marks", json=body, headers=auth)
                assert posted.status_code == 201, posted.text
                broadcast = start_broadcast(env, port, tmp_path / "broadcast.log")
                back = time.monotonic()
                # A display tries again at least every 4 s (with jitter), then resubscribes.
                page.wait_for_function(
                    "() => document.getElementById('stale').hidden", timeout=20_000, polling=50
                )
                print(f"banner gone {time.monotonic() - back:.2f} s after broadcast was back")
                expect(row).to_contain_text("1.25", timeout=WAIT_MS)
            finally:
                broadcast.kill()
                broadcast.wait()
