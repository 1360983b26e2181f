"""Reading the pages' word tables (`const WORDS = {...}` in their i18n.js) as JS reads them."""

from __future__ import annotations

import json
import re

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
