"""The static results site's pages (docs/after-the-championship.md): an index, a page per skill
and a page per competitor (the skills passport), in every language of the championship, each
page self-contained (its style inline, no script, nothing fetched) and rendered by Jinja2 with
autoescaping, so a name is always text, never markup.

Every language has its own folder (`kk/index.html`, `kk/skills/ID.html`,
`kk/competitors/ID.html`) so that a page's language switch points at the same page in the
other folders; `index.html` at the top is the first language's index.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import markupsafe

from services.tools.results.board import ResultsFile, SkillResults
from services.tools.results.passport import medians, passport
from services.tools.results.words import language_names, words_for
from shared.championship import Championship
from shared.events import StandingsRow
from shared.public.view import PublicChampionship, PublicCompetitor

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Person:
    """A competitor as the site names them: public name, member, skill, scale."""

    id: str
    name: str
    member: str
    member_name: str
    skill: str
    scale: int | None = None


@cache
def style() -> markupsafe.Markup:
    """The site's style sheet, inline in every page: read once, and trusted as it is."""
    return markupsafe.Markup((TEMPLATES / "site.css").read_text(encoding="utf-8"))


@cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def dates(championship: Championship | PublicChampionship) -> str:
    days = [d.isoformat() for d in (championship.starts, championship.ends) if d is not None]
    return " \u2013 ".join(days)  # an en dash between the first and the last day


def pages(championship: PublicChampionship, results: ResultsFile) -> Iterator[tuple[str, str]]:
    """Every page of the site: its path under the site's folder, and its HTML."""
    # What a page shows is the same in every language: worked out once, rendered in each.
    index = _index(championship, results)
    skills = [
        (skill, _skill(championship, skill), list(_competitors(championship, skill)))
        for skill in results.skills
    ]
    first = championship.languages[0]
    for lang in championship.languages:
        render = _renderer(championship, lang)
        yield f"{lang}/index.html", render("index.html", "../", index)
        if lang == first:
            yield "index.html", render("index.html", "", index)
        for skill, page_of_skill, competitors in skills:
            yield (
                f"{lang}/skills/{skill.id}.html",
                render(f"skills/{skill.id}.html", "../../", page_of_skill),
            )
            for page, context in competitors:
                yield (
                    f"{lang}/competitors/{page}.html",
                    render(f"competitors/{page}.html", "../../", context),
                )


Render = Callable[[str, str, dict[str, Any]], str]


def _renderer(championship: PublicChampionship, lang: str) -> Render:
    """Renders a page of one language: `here` is its path inside a language's folder, `base`
    the way up from it to the site's folder."""
    names = language_names()
    common = {
        "lang": lang,
        "w": words_for(lang),
        "championship": championship,
        "dates": dates(championship),
        "style": style(),
        "languages": [(code, names.get(code, code)) for code in championship.languages],
    }

    def render(here: str, base: str, context: dict[str, Any]) -> str:
        template = environment().get_template(context["template"])
        return template.render(
            **common,
            **{key: value for key, value in context.items() if key != "template"},
            href=lambda path: f"{base}{lang}/{path}",
            switch=lambda code: f"{base}{code}/{here}",
        )

    return render


def _people(championship: PublicChampionship, results: ResultsFile) -> dict[str, Person]:
    """Every ranked competitor of a final skill, by id, as the index names them."""
    members = championship.index.members
    return {
        row.competitor: Person(
            row.competitor, row.name, row.member, members[row.member].name, skill.name, row.scale
        )
        for skill in results.skills
        for row in skill.rows
        if row.member in members
    }


def _index(championship: PublicChampionship, results: ResultsFile) -> dict[str, Any]:
    people = _people(championship, results)
    medals = results.medals
    return {
        "template": "index.html",
        "skills": results.skills,
        "medals": medals,
        "best_of_nation": [
            (member, [people[c] for c in chosen if c in people])
            for member, chosen in medals.best_of_nation.items()
        ],
        "best_overall": [people[c] for c in medals.best_overall if c in people],
    }


def _skill(championship: PublicChampionship, skill: SkillResults) -> dict[str, Any]:
    return {
        "template": "skill.html",
        "skill": skill,
        "people": [
            _person(championship, competitor.id, skill)
            for competitor in _competitors_of(championship, skill.id)
        ],
    }


def _person(championship: PublicChampionship, competitor: str, skill: SkillResults) -> Person:
    who = championship.index.competitors[competitor]
    member = championship.index.members.get(who.member)
    return Person(
        who.id,
        who.name,
        who.member,
        member.name if member else who.member,
        skill.name,
    )


def _competitors(
    championship: PublicChampionship, skill: SkillResults
) -> Iterator[tuple[str, dict[str, Any]]]:
    """A page per competitor of the skill: their passport once the skill is final."""
    scheme = championship.index.skills[skill.id]
    rows: dict[str, StandingsRow] = {row.competitor: row for row in skill.rows}
    middles = medians(scheme, skill.rows)
    for competitor in _competitors_of(championship, skill.id):
        row = rows.get(competitor.id)
        yield (
            competitor.id,
            {
                "template": "competitor.html",
                "skill": skill,
                "person": _person(championship, competitor.id, skill),
                "row": row,
                "lines": passport(scheme, row, middles) if row else (),
            },
        )


def _competitors_of(championship: PublicChampionship, skill: str) -> list[PublicCompetitor]:
    return sorted((c for c in championship.competitors if c.skill == skill), key=lambda c: c.id)
