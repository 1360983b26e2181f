"""The sign-in cards as one printable HTML page: eight cards to an A4 sheet, each with its QR
codes as inline SVG and the style inline, so nothing is fetched when it is shown or printed."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterator, Sequence

import segno

from services.tools.cards.deck import Card, Window, venue_zone
from services.tools.cards.words import WORDS
from shared.championship import Championship

PER_PAGE = 8
# The quiet zone included; the code itself is about 32 mm (docs/signin.md: at least 3 cm).
CODE_MM = 36


def page(championship: Championship, cards: Sequence[Card], valid: Window, lang: str) -> str:
    """The cards as one printable HTML document."""
    words = WORDS.get(lang, WORDS["en"])
    zone = venue_zone(championship)
    when = _validity(valid, zone)
    sheets = list(_chunks(cards, PER_PAGE))
    body = "\n".join(
        '<section class="sheet">\n'
        + "\n".join(_card(championship, card, words, when) for card in sheet)
        + f"\n<footer>{_e(championship.name)} · {_e(words['title'])} · "
        + _e(words["page"].format(n=n, m=len(sheets)))
        + "</footer>\n</section>"
        for n, sheet in enumerate(sheets, start=1)
    )
    title = f"{championship.name} · {words['title']}"
    return (
        f'<!doctype html>\n<html lang="{_e(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_e(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}\n"
        "</body>\n</html>\n"
    )


def _card(championship: Championship, card: Card, words: dict[str, str], when: str) -> str:
    person = card.person
    members = {m.code: m.name for m in championship.members}
    skill = championship.index.skills[person.skill].name if person.skill else ""
    codes = "".join(
        f"<figure>{_code(link)}<figcaption>{_e(words[caption])}</figcaption></figure>"
        for caption, link in card.codes
    )
    details = " · ".join(_e(part) for part in (members.get(person.member, ""), skill) if part)
    return (
        f'<article class="card" data-person="{_e(person.id)}">'
        f"<h2>{_e(person.name)}</h2>"
        f'<p class="meta"><span class="member">{_e(person.member)}</span> {details}</p>'
        f'<p class="meta"><strong>{_e(words[person.role])}</strong> · {_e(person.id)}</p>'
        f'<p class="meta">{_e(words["valid"])}: {_e(when)}</p>'
        f'<div class="codes">{codes}</div>'
        f'<p class="personal">{_e(words["personal"])}</p>'
        "</article>"
    )


def _code(link: str) -> str:
    # Error correction M at least (segno raises it when that costs no size).
    qr = segno.make(link, error="m", micro=False)
    svg: str = qr.svg_inline(omitsize=True, dark="#000", light="#fff", border=4)
    return svg


def _validity(valid: Window, zone: dt.tzinfo) -> str:
    def shown(ts: float) -> dt.datetime:
        return dt.datetime.fromtimestamp(ts, zone)

    until = shown(valid.until)
    since = shown(valid.since) if valid.since is not None else None
    name = getattr(zone, "key", "UTC")
    if since is None:
        return f"→ {until:%Y-%m-%d %H:%M} ({name})"
    if since.date() == until.date():
        return f"{since:%Y-%m-%d %H:%M}–{until:%H:%M} ({name})"
    return f"{since:%Y-%m-%d %H:%M} – {until:%Y-%m-%d %H:%M} ({name})"


def _chunks(cards: Sequence[Card], size: int) -> Iterator[Sequence[Card]]:
    for start in range(0, len(cards), size):
        yield cards[start : start + size]


def _e(text: str) -> str:
    return html.escape(text, quote=True)


# A4 portrait, 2 x 4 cards of 97 x 70 mm inside 8 mm margins, dashed cut lines; no colour
# carries meaning, so a black-and-white printer loses nothing.
STYLE = f"""
@page {{ size: A4 portrait; margin: 0; }}
* {{ box-sizing: border-box; }}
html, body {{ margin: 0; padding: 0; background: #fff; color: #000; }}
body {{ font: 3.2mm/1.25 "Noto Sans", "DejaVu Sans", Arial, sans-serif; }}
.sheet {{ width: 210mm; height: 297mm; padding: 8mm 8mm 4mm; display: grid;
  grid-template-columns: repeat(2, 97mm); grid-template-rows: repeat(4, 70mm) 1fr;
  break-after: page; page-break-after: always; overflow: hidden; }}
.sheet:last-child {{ break-after: auto; page-break-after: auto; }}
.card {{ border: 0.3mm dashed #000; padding: 3mm 4mm; display: flex; flex-direction: column;
  overflow: hidden; }}
.card h2 {{ margin: 0 0 0.8mm; font-size: 5mm; line-height: 1.1; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; }}
.card .meta {{ margin: 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
.card .member {{ border: 0.3mm solid #000; padding: 0 0.8mm; font-weight: 700; }}
.codes {{ display: flex; gap: 6mm; margin-top: 1mm; }}
figure {{ margin: 0; width: {CODE_MM}mm; text-align: center; }}
figure svg {{ display: block; width: {CODE_MM}mm; height: {CODE_MM}mm; }}
figcaption {{ font-weight: 700; margin-top: -1.5mm; }}
.personal {{ margin: auto 0 0; font-size: 2.4mm; }}
footer {{ grid-column: 1 / -1; align-self: end; font-size: 2.6mm; text-align: center; }}
@media screen {{
  html {{ background: #888; }}
  .sheet {{ margin: 6mm auto; background: #fff; box-shadow: 0 0 3mm #0008; }}
}}
"""
