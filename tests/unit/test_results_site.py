"""The results site of a championship of two skills in three languages: its page set, pages
that fetch nothing and run nothing, links that all land, the final skill's standings and only
its, public names only, and a folder written whole or not at all."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from itertools import islice
from pathlib import Path

import html5lib
import msgspec
import pytest

from services.tools.results import publish
from services.tools.results import site as site_pages
from services.tools.results.board import results
from services.tools.results.output import OutputError
from services.tools.results.publish import unofficial, write_site
from services.tools.results.words import words_for
from shared.public.view import public_championship
from tests.support.results import HIDDEN, HIDDEN_INITIALS, small, stored

CHAMPIONSHIP = small()
COMPETITORS = ["AZ-1", "AZ-2", "HU-1", "KZ-1", "KZ-2", "TR-1"]
VOID = {"meta", "br", "rect", "line", "img", "link", "input", "hr"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("out") / "site"
    write_site(CHAMPIONSHIP, stored(), folder)
    return folder


def pages_of(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text("utf-8") for p in site.rglob("*.html")}


def test_every_language_has_an_index_a_page_per_skill_and_per_competitor(site: Path) -> None:
    expected = {"index.html"} | {
        f"{lang}/{page}"
        for lang in ("en", "kk", "ru")
        for page in (
            "index.html",
            "skills/robots.html",
            "skills/cooking.html",
            *(f"competitors/{c}.html" for c in COMPETITORS),
        )
    }
    assert set(pages_of(site)) == expected
    assert sorted(p.name for p in site.iterdir()) == [
        "en",
        "index.html",
        "kk",
        "results.json",
        "ru",
    ]


def test_no_page_runs_a_script_or_fetches_anything_from_elsewhere(site: Path) -> None:
    for path, html in pages_of(site).items():
        assert "<script" not in html.lower(), path
        assert not re.search(r"(https?:)?//|url\(|@import|<img|<link", html), path


class Links(HTMLParser):
    """Every link of a page, and whether its tags are balanced."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.open: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.links += [value for name, value in attrs if name == "href" and value]
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.links += [value for name, value in attrs if name == "href" and value]

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.problems.append(f"</{tag}> closes nothing open")


def test_pages_are_valid_html_and_every_link_lands_on_a_page(site: Path) -> None:
    strict = html5lib.HTMLParser(strict=True)
    for path, html in pages_of(site).items():
        assert html.startswith("<!doctype html>\n<html lang=")
        strict.parse(html)  # raises at the first parse error
        parsed = Links()
        parsed.feed(html)
        assert parsed.problems == [] and parsed.open == [], path
        for link in parsed.links:
            assert (site / path).parent.joinpath(link).resolve().is_file(), f"{path}: {link}"


def test_the_language_switch_points_at_the_same_page_in_each_language(site: Path) -> None:
    html = (site / "kk/competitors/AZ-1.html").read_text("utf-8")
    for lang in ("en", "kk", "ru"):
        assert f'href="../../{lang}/competitors/AZ-1.html" hreflang="{lang}"' in html
    assert 'aria-current="page">Қазақша</a>' in html
    assert words_for("kk")["passport"] in html and words_for("kk")["aboveMedian"] in html


def test_only_the_final_skill_has_standings_and_the_other_says_so(site: Path) -> None:
    words = words_for("ru")
    live = (site / "ru/skills/cooking.html").read_text("utf-8")
    assert words["notOfficial"] in live and "19.75" not in live and "12.50" not in live
    assert words["notOfficial"] in (site / "ru/competitors/KZ-2.html").read_text("utf-8")
    final = (site / "ru/skills/robots.html").read_text("utf-8")
    assert words["final"] in final and "88.50" in final and "760" in final
    index = (site / "index.html").read_text("utf-8")
    assert '<html lang="en">' in index and 'href="en/skills/robots.html"' in index


def test_results_json_is_the_final_standings_with_public_names(site: Path) -> None:
    data = json.loads((site / "results.json").read_text("utf-8"))
    assert data["championship"] == {"id": "small-2025", "name": "Small Skills 2025"}
    robots, cooking = data["skills"]
    assert (cooking["id"], cooking["final"], cooking["rows"]) == ("cooking", False, [])
    expected = json.loads(msgspec.json.encode(stored()["robots"].rows))
    expected[1]["name"] = HIDDEN_INITIALS
    assert robots["rows"] == expected
    assert data["medals"] == json.loads(
        msgspec.json.encode(results(public_championship(CHAMPIONSHIP), stored()).medals)
    )
    table = {line["member"]: line for line in data["medals"]["table"]}
    # Cooking is live: its leader's gold-less row counts nowhere, KZ has robots' silver only.
    assert (table["AZ"]["gold"], table["KZ"]["silver"], table["KZ"]["points"]) == (1, 1, 3)
    assert data["medals"]["best_overall"] == ["AZ-1"] and data["medals"]["provisional"]


def test_a_hidden_name_is_nowhere_on_the_site(site: Path) -> None:
    for path in site.rglob("*"):
        if path.is_file():
            text = path.read_text("utf-8")
            assert HIDDEN not in text and "Айгерім" not in text, path
    assert HIDDEN_INITIALS in (site / "kk/competitors/KZ-1.html").read_text("utf-8")


def test_the_strict_parser_finds_a_broken_page() -> None:
    with pytest.raises(html5lib.html5parser.ParseError):
        html5lib.HTMLParser(strict=True).parse("<!doctype html><p><b>x</p></b>")


def test_names_are_text_never_markup(site: Path) -> None:
    html = (site / "en/competitors/AZ-1.html").read_text("utf-8")
    assert "Build &lt;fast&gt;" in html and "<fast>" not in html


def test_skills_without_official_results_are_named() -> None:
    boards = stored()
    del boards["robots"]
    assert unofficial(CHAMPIONSHIP, boards) == [
        "podium: robots: no standings yet",
        "podium: cooking: not final (live)",
    ]


def test_a_folder_of_something_else_is_left_alone_and_an_earlier_site_replaced(
    tmp_path: Path,
) -> None:
    foreign = tmp_path / "photos"
    foreign.mkdir()
    (foreign / "keep.jpg").write_bytes(b"x")
    with pytest.raises(OutputError, match="neither empty nor made by podium"):
        write_site(CHAMPIONSHIP, stored(), foreign)
    assert [p.name for p in foreign.iterdir()] == ["keep.jpg"]

    target = tmp_path / "site"
    write_site(CHAMPIONSHIP, stored(), target)
    (target / "stale.html").write_text("old")
    write_site(CHAMPIONSHIP, stored(), target)
    assert not (target / "stale.html").exists() and (target / "index.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["photos", "site"]


def test_a_failure_halfway_leaves_no_site_and_the_earlier_one_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "site"
    write_site(CHAMPIONSHIP, stored(), target)
    before = pages_of(target)

    def three_pages_then_a_full_disk(*args: object) -> Iterator[tuple[str, str]]:
        yield from islice(site_pages.pages(*args), 3)  # type: ignore[arg-type]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(publish, "pages", three_pages_then_a_full_disk)
    with pytest.raises(OutputError, match="No space left"):
        write_site(CHAMPIONSHIP, stored(), target)
    assert pages_of(target) == before
    assert [p.name for p in tmp_path.iterdir()] == ["site"]
