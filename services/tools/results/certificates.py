"""`podium certificates`: a PDF per final skill, an A4 landscape certificate per competitor
who took part (docs/after-the-championship.md), typeset by typst with Noto Sans, both
installed with podium, so every script of the members' names prints and nothing is fetched.

Certificates are personal: they carry full names, never public ones. A competitor who was
`absent` gets none; everyone else gets their medal, their Medallion for Excellence, or a
certificate of participation.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Literal

import msgspec
import typst

from services.tools.log.export import latest_standings
from services.tools.results.board import final_standings, full_row
from services.tools.results.output import OutputError, replaced_folder
from services.tools.results.publish import unofficial
from services.tools.results.site import dates
from services.tools.results.words import words_for
from shared.championship import Championship
from shared.events import Medal, Standings, StandingsRow
from shared.plumbing.settings import Settings

TEMPLATE = Path(__file__).parent / "templates" / "certificate.typ"
# Noto Sans as the fontpkg-noto-sans wheel installs it: the font files only, no system fonts.
FONTS = Path(str(files("fontpkg_noto_sans") / "files"))
# Left in the folder, so a later run knows the folder is podium's to replace.
MARK = "certificates.txt"
AWARDS: dict[Medal | None, str] = {
    "gold": "goldMedal",
    "silver": "silverMedal",
    "bronze": "bronzeMedal",
    "excellence": "medallion",
    None: "participation",
}


class Person(msgspec.Struct, frozen=True):
    name: str
    member: str
    award: str
    # The award's colour on the page: a medal, excellence, or participation.
    kind: str


class Certificates(msgspec.Struct, frozen=True):
    """What the typst template reads (through `sys.inputs`, as JSON)."""

    championship: str
    title: str
    presented: str
    skill: str
    venue: str
    dates: str
    people: tuple[Person, ...]


def certificates(championship: Championship, standings: Standings, lang: str) -> Certificates:
    words = words_for(lang)
    members = championship.index.members
    return Certificates(
        championship=championship.name,
        title=words["certificate"],
        presented=words["presentedTo"],
        skill=championship.index.skills[standings.skill].name,
        venue=championship.venue,
        dates=dates(championship),
        people=tuple(
            Person(
                name=row.name,
                member=_member_line(row, members[row.member].name if row.member in members else ""),
                award=words[AWARDS[row.medal]],
                kind=row.medal or "participation",
            )
            for row in (full_row(championship, r) for r in standings.rows)
            if row.status != "absent"
        ),
    )


def _member_line(row: StandingsRow, member: str) -> str:
    """The member's name, and a team's members after it."""
    return " · ".join([member, ", ".join(row.team)] if row.team else [member])


@cache
def compiler() -> typst.Compiler:
    """One compiler for every PDF of a run: it reads the template and the fonts once."""
    return typst.Compiler(str(TEMPLATE), font_paths=[str(FONTS)], ignore_system_fonts=True)


def typeset(
    made: Certificates, form: Literal["pdf", "png"] = "pdf", ppi: float | None = None
) -> bytes:
    """The certificates as a PDF (or the first page as a PNG, for a preview)."""
    pages: object = compiler().compile(
        format=form, ppi=ppi, sys_inputs={"data": msgspec.json.encode(made).decode()}
    )
    # A PNG comes as one image per page.
    first = pages[0] if isinstance(pages, list) else pages
    assert isinstance(first, bytes)
    return first


def chosen_skills(
    championship: Championship, final: dict[str, Standings], skill: str | None
) -> Sequence[str]:
    if skill is None:
        return list(final)
    if skill not in championship.index.skills:
        raise OutputError(f"no skill {skill!r} in {championship.name}")
    if skill not in final:
        raise OutputError(f"{skill}: not final, no certificates until its results are official")
    return [skill]


def chosen_language(championship: Championship, lang: str | None) -> str:
    if lang is None:
        return championship.languages[0]
    if lang not in championship.languages:
        raise OutputError(f"--lang {lang}: one of {', '.join(championship.languages)}")
    return lang


def write_certificates(
    championship: Championship,
    final: dict[str, Standings],
    skills: Sequence[str],
    lang: str,
    target: Path,
) -> int:
    """Every chosen skill's PDF, into `target` at once; the number of certificates."""
    count = 0
    with replaced_folder(target, MARK) as folder:
        for skill in skills:
            made = certificates(championship, final[skill], lang)
            (folder / f"{skill}.pdf").write_bytes(typeset(made))
            count += len(made.people)
        listing = "".join(f"{skill}.pdf\n" for skill in skills)
        (folder / MARK).write_text(f"podium certificates ({lang})\n{listing}", encoding="utf-8")
    return count


async def certify(
    settings: Settings,
    championship: Championship,
    target: Path,
    skill: str | None,
    lang: str | None,
) -> str:
    language = chosen_language(championship, lang)
    stored = await latest_standings(settings, championship)
    final = final_standings(championship, stored)
    skills = chosen_skills(championship, final, skill)
    if skill is None:
        for line in unofficial(championship, stored):
            print(line, file=sys.stderr)
    if not skills:
        raise OutputError("no final skill yet: nothing to certify")
    count = write_certificates(championship, final, skills, language, target)
    return f"podium: {count} certificates in {len(skills)} PDF files in {target}"
