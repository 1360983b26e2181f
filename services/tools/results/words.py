"""The pages' words, read from the very tables the JavaScript pages use (`const WORDS = {...}`
in broadcast's i18n.js, `const LANGUAGE_NAMES = {...}` in intake's), so the results site and
the certificates say what the screens say, from one source.

The tables are object literals of strings, with keys bare or quoted, `//` comments and
trailing commas; they are read here as JavaScript reads them, and a table this reader cannot
read is an error naming the place, never a silent gap.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

STATIC = Path(__file__).parents[2]
BOARDS = STATIC / "broadcast" / "static" / "i18n.js"
PAGES = STATIC / "intake" / "static" / "i18n.js"
FALLBACK = "en"

TOKEN = re.compile(
    r'(?:\s|//[^\n]*)*(?:(?P<string>"(?:[^"\\]|\\.)*")|(?P<name>\w+)|(?P<mark>[{}:,]))'
)


class WordsError(ValueError):
    """A word table that cannot be read."""


def table_in(source: str, name: str) -> dict[str, object]:
    """The object literal `const NAME = {...}` of a page script."""
    opening = f"const {name} = "
    if opening not in source:
        raise WordsError(f"no {opening!r}")
    tokens = _tokens(source, source.index(opening) + len(opening))
    table = _parsed(tokens)
    if not isinstance(table, dict):
        raise WordsError(f"{name} is not an object")
    return table


def words_in(source: str) -> dict[str, dict[str, str]]:
    """The `WORDS` table of a page script: language -> key -> text."""
    table = table_in(source, "WORDS")
    return {lang: _strings(words) for lang, words in table.items()}


@cache
def board_words() -> dict[str, dict[str, str]]:
    return words_in(BOARDS.read_text(encoding="utf-8"))


@cache
def language_names() -> dict[str, str]:
    return _strings(table_in(PAGES.read_text(encoding="utf-8"), "LANGUAGE_NAMES"))


def words_for(lang: str) -> dict[str, str]:
    """A language's words, English where a word is missing, as the pages' `wordsFor` does."""
    table = board_words()
    return {**table[FALLBACK], **table.get(lang, {})}


def _strings(value: object) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise WordsError("a table of words holds strings only")
    return dict(value)


def _tokens(source: str, at: int) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    depth = 0
    while True:
        found = TOKEN.match(source, at)
        if found is None:
            raise WordsError(f"cannot read the word table at {source[at : at + 40]!r}")
        kind = found.lastgroup or ""
        value = found[kind]
        tokens.append((kind, value))
        at = found.end()
        depth += {"{": 1, "}": -1}.get(value, 0) if kind == "mark" else 0
        if depth == 0:
            return tokens


def _parsed(tokens: list[tuple[str, str]]) -> object:
    kind, value = tokens.pop(0)
    if kind == "string":
        text: str = json.loads(value)  # a double-quoted JS string reads as JSON does
        return text
    if value != "{":
        raise WordsError(f"expected an object or a string, not {value!r}")
    found: dict[str, object] = {}
    while tokens[0][1] != "}":
        key = tokens.pop(0)[1].strip('"')
        if tokens.pop(0)[1] != ":":
            raise WordsError(f"expected ':' after {key!r}")
        found[key] = _parsed(tokens)
        if tokens[0][1] == ",":
            tokens.pop(0)
    tokens.pop(0)
    return found
