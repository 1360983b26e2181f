"""The display and spectator pages: served by broadcast, whole, with nothing from outside."""

from __future__ import annotations

import json
import re

import httpx

from services.broadcast.app import build
from shared.plumbing.settings import Settings
from tests.support.people import demo
from tests.support.services import serving
from tests.support.words import words_in

CHAMPIONSHIP = demo()


async def test_pages_carry_the_championship_and_fetch_nothing_from_outside(
    settings: Settings,
) -> None:
    async with serving(build(settings)) as url, httpx.AsyncClient(base_url=url) as http:
        for path in ("/", "/display?skill=welding&lang=kk&rotate=15"):
            page = await http.get(path)
            assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
            embedded = re.search(
                r'<script id="championship" type="application/json">(.*?)</script>', page.text, re.S
            )
            assert embedded is not None
            data = json.loads(embedded.group(1))
            assert data["name"] == CHAMPIONSHIP.name
            assert [s["id"] for s in data["skills"]] == [s.id for s in CHAMPIONSHIP.skills]
            assert "kk" in data["languages"]
            assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
            assert assets and all(a.startswith("/pages/") for a in assets), assets
            for asset in assets:
                served = await http.get(asset)
                assert served.status_code == 200, asset
                assert "http://" not in served.text and "https://" not in served.text, asset


async def test_pages_run_only_their_own_scripts_under_a_strict_policy(settings: Settings) -> None:
    async with serving(build(settings)) as url, httpx.AsyncClient(base_url=url) as http:
        for path in ("/", "/display"):
            page = await http.get(path)
            policy = page.headers["content-security-policy"]
            assert "script-src 'self';" in policy and "unsafe-inline" not in policy
            assert page.headers["referrer-policy"] == "no-referrer"
            for script in re.findall(r"<script([^>]*)>", page.text):
                assert "src=" in script or 'type="application/json"' in script, script


async def test_every_word_of_the_boards_is_in_every_language(settings: Settings) -> None:
    async with serving(build(settings)) as url, httpx.AsyncClient(base_url=url) as http:
        words = (await http.get("/pages/i18n.js")).text
    blocks = {lang: set(table) for lang, table in words_in(words).items()}
    assert blocks["en"]
    assert {
        lang: blocks[lang] for lang in CHAMPIONSHIP.languages if blocks[lang] != blocks["en"]
    } == {}
