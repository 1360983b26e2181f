"""The site reads the pages' own word tables as JavaScript reads them: comments and trailing
commas allowed, English where a language lacks a word, and a table it cannot read an error
that says where, never a silent gap."""

from __future__ import annotations

import pytest

from services.tools.results.words import (
    WordsError,
    board_words,
    language_names,
    table_in,
    words_for,
    words_in,
)
from tests.support.people import demo


def test_comments_quoted_keys_and_trailing_commas_read_as_javascript_reads_them() -> None:
    source = """const X = 1; // not the table
const WORDS = {
  // English first
  en: {a: "A", "b": "B \\"quoted\\" {n}", c: "Ç"}, // after
  kk: {a: "Ә",},
};"""
    assert words_in(source) == {
        "en": {"a": "A", "b": 'B "quoted" {n}', "c": "Ç"},
        "kk": {"a": "Ә"},
    }


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("const NAMES = {};", "no 'const WORDS = '"),
        ("const WORDS = {en: {a: 1}};", "expected an object or a string, not '1'"),
        ("const WORDS = {en: {a = 'A'}};", "cannot read the word table"),
        ('const WORDS = {en: {a "A"}};', "expected ':' after 'a'"),
        ('const WORDS = "words";', "WORDS is not an object"),
    ],
)
def test_a_table_it_cannot_read_is_an_error_saying_where(source: str, problem: str) -> None:
    with pytest.raises(WordsError, match=problem):
        words_in(source)


def test_the_site_has_every_word_of_every_demo_language_and_falls_back_to_english() -> None:
    for lang in demo().languages:
        assert words_for(lang).keys() == board_words()["en"].keys()
    assert words_for("xx") == board_words()["en"]
    assert words_for("kk")["passport"] == "Құзырет паспорты"


def test_language_names_come_from_the_pages_too() -> None:
    names = language_names()
    assert set(demo().languages) <= names.keys()
    assert (names["kk"], names["az"], names["uz"]) == ("Қазақша", "Azərbaycanca", "Oʻzbekcha")
    assert table_in('const LANGUAGE_NAMES = {en: "English"};', "LANGUAGE_NAMES") == {
        "en": "English"
    }
