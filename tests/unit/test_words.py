"""Every word of every page in every language of the demo championship: both word tables (the
boards' and the marking, chief and crew pages') hold every English key in each language, with
the same placeholders, and a test failure names the language and the key."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.support.people import demo

ROOT = Path(__file__).parents[2]
TABLES = [
    ROOT / "services" / "broadcast" / "static" / "i18n.js",
    ROOT / "services" / "intake" / "static" / "i18n.js",
]
LANGUAGES = demo().languages
TOKEN = re.compile(r'\s*(?:(?P<string>"(?:[^"\\]|\\.)*")|(?P<name>\w+)|(?P<mark>[{}:,]))')


def words_in(source: str) -> dict[str, dict[str, str]]:
    """The `WORDS` object literal of a page script, read as JS reads it (keys bare or quoted,
    values strings, a trailing comma allowed)."""
    start = source.index("const WORDS = ") + len("const WORDS = ")
    tokens = tokenize(source, start)
    table = parse(tokens)
    assert isinstance(table, dict)
    return {lang: dict(words) for lang, words in table.items() if isinstance(words, dict)}


def tokenize(source: str, at: int) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    depth = 0
    while True:
        found = TOKEN.match(source, at)
        assert found is not None, f"cannot read the word table at {source[at : at + 40]!r}"
        kind = found.lastgroup or ""
        value = found[kind]
        tokens.append((kind, value))
        at = found.end()
        depth += {"{": 1, "}": -1}.get(value, 0) if kind == "mark" else 0
        if depth == 0:
            return tokens


def parse(tokens: list[tuple[str, str]]) -> object:
    kind, value = tokens.pop(0)
    if kind == "string":
        text: str = json.loads(value)  # a double-quoted JS string reads as JSON does
        return text
    assert value == "{", f"expected an object or a string, not {value!r}"
    found: dict[str, object] = {}
    while tokens[0][1] != "}":
        key = tokens.pop(0)[1].strip('"')
        assert tokens.pop(0)[1] == ":"
        found[key] = parse(tokens)
        if tokens[0][1] == ",":
            tokens.pop(0)
    tokens.pop(0)
    return found


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{(\w+)\}", text))


@pytest.mark.parametrize("table", TABLES, ids=lambda p: p.parent.parent.name)
def test_every_key_is_in_every_language_of_the_demo(table: Path) -> None:
    words = words_in(table.read_text(encoding="utf-8"))
    english = words["en"]
    assert len(english) > 20
    problems = []
    for lang in LANGUAGES:
        given = words.get(lang, {})
        problems += [f"{lang}: {key} is missing" for key in english if key not in given]
        problems += [f"{lang}: {key} is not an English key" for key in given if key not in english]
        problems += [f"{lang}: {key} is empty" for key, text in given.items() if not text.strip()]
        problems += [
            f"{lang}: {key} lacks {sorted(placeholders(english[key]) - placeholders(text))}"
            for key, text in given.items()
            if key in english and placeholders(english[key]) - placeholders(text)
        ]
    assert problems == [], f"{table.relative_to(ROOT)}:\n" + "\n".join(problems)


def test_the_reader_finds_a_missing_key() -> None:
    source = 'const WORDS = {en: {a: "A", b: "B {n}"}, kk: {"a": "Ә", b: "Б"},};'
    assert words_in(source) == {"en": {"a": "A", "b": "B {n}"}, "kk": {"a": "Ә", "b": "Б"}}
