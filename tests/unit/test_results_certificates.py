"""The certificates of a final skill, read back from the PDF: a page per competitor who took
part, A4 landscape, each with the championship, the full name, the skill, the award in the
chosen language, the venue and the dates; every script of the members' names prints."""

from __future__ import annotations

import io
from pathlib import Path

import msgspec
import pytest
from pypdf import PdfReader

from services.tools.results.board import final_standings
from services.tools.results.certificates import (
    certificates,
    chosen_language,
    chosen_skills,
    typeset,
    write_certificates,
)
from services.tools.results.output import OutputError
from services.tools.results.words import words_for
from tests.support.results import HIDDEN, row, small, standings, stored

CHAMPIONSHIP = small()
# A4 landscape in PDF points: 297 mm x 210 mm.
A4_LANDSCAPE = (841.89, 595.28)
# A name in each script of the members, with the letters a font without them would drop.
NAMES = [
    ("KZ", "Әлия Ғабдуллақызы Өтегенова"),
    ("AZ", "Şəbnəm Əliyeva Ğuliyeva"),
    ("KZ", "Жанқожа Ұлықбекұлы"),
    ("TR", "Çağrı Işıl Öztürk"),
    ("HU", "Gyöngyi Kőszegi Űrhajós"),
    ("KZ", "Ўткир Ғуломов"),
    ("AZ", "Oʻtkir Gʻulomov"),
    ("KZ", "Айзада Токтосунова Үмүт Өмүрбек"),
    ("KZ", "Игорь Щербаков Ёлкин"),
]


def pages_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_a_page_per_competitor_who_took_part_a4_landscape(tmp_path: Path) -> None:
    final = final_standings(CHAMPIONSHIP, stored())
    absent = row(None, "X-1", "Nobody Here", "HU", {}, status="absent")
    final["robots"] = msgspec.structs.replace(final["robots"], rows=(*final["robots"].rows, absent))
    assert write_certificates(CHAMPIONSHIP, final, ["robots"], "en", tmp_path / "out") == 4
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "certificates.txt",
        "robots.pdf",
    ]
    reader = PdfReader(tmp_path / "out" / "robots.pdf")
    assert len(reader.pages) == 4
    for page in reader.pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        assert size == pytest.approx(A4_LANDSCAPE, abs=0.01)
    assert all(
        "Nobody Here" not in text for text in pages_of((tmp_path / "out/robots.pdf").read_bytes())
    )


def test_each_page_says_who_earned_what_where_and_when_in_english() -> None:
    texts = pages_of(typeset(certificates(CHAMPIONSHIP, stored()["robots"], "en")))
    awards = ["Gold medal", "Silver medal", "Bronze medal", "For participation"]
    names = ["Şəbnəm Əliyeva", HIDDEN, "Gyöngyi Kőszegi", "Çağrı Yılmaz"]
    for text, name, award in zip(texts, names, awards, strict=True):
        lines = text.splitlines()
        assert lines[:4] == ["Small Skills 2025", "Certificate", "Presented to", name]
        assert award in lines and "Mobile Robotics" in lines
        assert " ".join(lines[-1].split()) == "Aktau, Kazakhstan · 2025-10-08 – 2025-10-11"


def test_the_award_is_in_the_chosen_language_and_the_full_name_always() -> None:
    words = words_for("kk")
    texts = pages_of(typeset(certificates(CHAMPIONSHIP, stored()["robots"], "kk")))
    assert words["certificate"] in texts[0] and words["goldMedal"] in texts[0]
    # A certificate is personal: the minor's full name, which the site never shows.
    assert HIDDEN in texts[1].splitlines()
    assert words["participation"] in texts[3]


def test_every_script_of_the_members_names_prints_exactly() -> None:
    people = tuple(
        row(n + 1, f"P-{n}", name, member, {"A": 40.0 - n}, medal="excellence" if n else None)
        for n, (member, name) in enumerate(NAMES)
    )
    texts = pages_of(
        typeset(certificates(CHAMPIONSHIP, standings("robots", people, "final"), "ru"))
    )
    assert [text.splitlines()[3] for text in texts] == [name for _, name in NAMES]
    assert words_for("ru")["medallion"] in texts[1]


def test_without_dates_the_venue_stands_alone() -> None:
    undated = msgspec.structs.replace(CHAMPIONSHIP, starts=None, ends=None)
    text = pages_of(typeset(certificates(undated, stored()["robots"], "en")))[0]
    assert text.splitlines()[-1] == "Aktau, Kazakhstan"


def test_a_png_preview_of_the_first_page() -> None:
    png = typeset(certificates(CHAMPIONSHIP, stored()["robots"], "en"), "png", ppi=20)
    assert png.startswith(b"\x89PNG")


def test_a_skill_not_final_or_unknown_and_a_language_not_the_championship_s_are_refused() -> None:
    final = final_standings(CHAMPIONSHIP, stored())
    assert chosen_skills(CHAMPIONSHIP, final, None) == ["robots"]
    with pytest.raises(OutputError, match="cooking: not final"):
        chosen_skills(CHAMPIONSHIP, final, "cooking")
    with pytest.raises(OutputError, match="no skill 'chess'"):
        chosen_skills(CHAMPIONSHIP, final, "chess")
    assert chosen_language(CHAMPIONSHIP, None) == "en"
    with pytest.raises(OutputError, match="--lang tr: one of en, kk, ru"):
        chosen_language(CHAMPIONSHIP, "tr")


def test_words_print_as_written_never_upper_cased_blind_to_the_language() -> None:
    """Upper-cased without its locale, Azerbaijani `Sertifikat` would lose its dotted İ."""
    texts = pages_of(typeset(certificates(CHAMPIONSHIP, stored()["robots"], "az")))
    assert texts[0].splitlines()[1] == "Sertifikat"
    assert "İştirakına görə" in texts[3].splitlines()


def test_the_full_name_comes_from_the_championship_whatever_the_stored_row_carries() -> None:
    board = stored()["robots"]
    shortened = msgspec.structs.replace(board.rows[1], name="А. С.")
    board = msgspec.structs.replace(board, rows=(shortened,))
    text = pages_of(typeset(certificates(CHAMPIONSHIP, board, "en")))[0]
    assert text.splitlines()[3] == HIDDEN
