"""Every word of every page in every language of the demo championship: both word tables (the
boards' and the marking, chief and crew pages') hold every English key in each language, with
the same placeholders, and a test failure names the language and the key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.people import demo
from tests.support.words import words_in

ROOT = Path(__file__).parents[2]
TABLES = [
    ROOT / "services" / "broadcast" / "static" / "i18n.js",
    ROOT / "services" / "intake" / "static" / "i18n.js",
]
LANGUAGES = demo().languages


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
