"""`podium cards`: the sign-in cards handed out at the experts' briefing, eight to an A4 page.

Each card names its person (member, skill, role), says when it is valid, and carries a QR code
of the person's sign-in link (`URL/mark#token=…`; a chief's card has a second one for
`URL/chief#token=…`, an organizer's only that one). One self-contained HTML file: the codes
are inline SVG, the style inline CSS, nothing is fetched when it is shown or printed, and
everything reads in black and white. The file holds live tokens: it is written for its owner
only, and a lost card is revoked on the chief's panel (`POST /api/revocations`).
"""

from __future__ import annotations

import datetime as dt
import html
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import segno

from shared.championship import Championship, Expert
from shared.tokens import Identity, issue_for

PER_PAGE = 8
# A card printed without --valid-until lasts one championship day.
DEFAULT_HOURS = 16
# The quiet zone included; the code itself is about 32 mm (SPEC: at least 3 cm).
CODE_MM = 36

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Sign-in cards",
        "expert": "Expert",
        "chief": "Chief expert",
        "organizer": "Organizer",
        "marking": "Marking page",
        "panel": "Chief's panel",
        "valid": "Valid",
        "personal": "Personal: whoever scans this code signs in as you.",
        "page": "Page {n} of {m}",
    },
    "kk": {
        "title": "Кіру карталары",
        "expert": "Сарапшы",
        "chief": "Бас сарапшы",
        "organizer": "Ұйымдастырушы",
        "marking": "Бағалау беті",
        "panel": "Бас сарапшы панелі",
        "valid": "Жарамды",
        "personal": "Жеке: бұл кодты сканерлеген адам сіздің атыңыздан кіреді.",
        "page": "Бет {n} / {m}",
    },
    "ru": {
        "title": "Карточки для входа",
        "expert": "Эксперт",
        "chief": "Главный эксперт",
        "organizer": "Организатор",
        "marking": "Страница оценивания",
        "panel": "Панель главного эксперта",
        "valid": "Действует",
        "personal": "Лично: кто отсканирует этот код, войдёт под вашим именем.",
        "page": "Страница {n} из {m}",
    },
    "tr": {
        "title": "Giriş kartları",
        "expert": "Uzman",
        "chief": "Baş uzman",
        "organizer": "Organizatör",
        "marking": "Puanlama sayfası",
        "panel": "Baş uzman paneli",
        "valid": "Geçerlilik",
        "personal": "Kişiseldir: bu kodu okutan herkes sizin adınıza giriş yapar.",
        "page": "Sayfa {n} / {m}",
    },
    "az": {
        "title": "Giriş kartları",
        "expert": "Ekspert",
        "chief": "Baş ekspert",
        "organizer": "Təşkilatçı",
        "marking": "Qiymətləndirmə səhifəsi",
        "panel": "Baş ekspert paneli",
        "valid": "Etibarlıdır",
        "personal": "Şəxsidir: bu kodu skan edən hər kəs sizin adınızla daxil olur.",
        "page": "Səhifə {n} / {m}",
    },
    "hu": {
        "title": "Belépőkártyák",
        "expert": "Szakértő",
        "chief": "Főszakértő",
        "organizer": "Szervező",
        "marking": "Értékelő oldal",
        "panel": "Főszakértői panel",
        "valid": "Érvényes",
        "personal": "Személyes: aki beolvassa ezt a kódot, az Ön nevében jelentkezik be.",
        "page": "{n}. oldal / {m}",
    },
    "uz": {
        "title": "Kirish kartalari",
        "expert": "Ekspert",
        "chief": "Bosh ekspert",
        "organizer": "Tashkilotchi",
        "marking": "Baholash sahifasi",
        "panel": "Bosh ekspert paneli",
        "valid": "Amal qiladi",
        "personal": "Shaxsiy: bu kodni skanerlagan har kim siz nomingizdan kiradi.",
        "page": "Sahifa {n} / {m}",
    },
    "ky": {
        "title": "Кирүү карталары",
        "expert": "Эксперт",
        "chief": "Башкы эксперт",
        "organizer": "Уюштуруучу",
        "marking": "Баалоо барагы",
        "panel": "Башкы эксперттин панели",
        "valid": "Жарактуу",
        "personal": "Жеке: бул кодду сканерлеген адам сиздин атыңыздан кирет.",
        "page": "Барак {n} / {m}",
    },
}


class CardsError(Exception):
    """What is wrong with the command line's request; printed, exit 2."""


@dataclass(frozen=True)
class Window:
    """When the cards' tokens work: from `since` (None: at once) until `until`."""

    since: float | None
    until: float


@dataclass(frozen=True)
class Card:
    person: Expert
    # (caption word, link) per QR code
    codes: tuple[tuple[str, str], ...]


def window(valid_from: str | None, valid_until: str | None, zone: dt.tzinfo, now: float) -> Window:
    """The validity asked for. A time without a zone is the venue's; a bare date means from
    the start of that day, or until its end."""
    since = _moment(valid_from, zone, "--valid-from", end_of_day=False) if valid_from else None
    if valid_until:
        until = _moment(valid_until, zone, "--valid-until", end_of_day=True)
    elif valid_from and _is_date(valid_from):
        until = _moment(valid_from, zone, "--valid-from", end_of_day=True)
    else:
        until = (since or now) + DEFAULT_HOURS * 3600
    if since is not None and until <= since:
        raise CardsError("--valid-until must come after --valid-from")
    if until <= now:
        raise CardsError(f"--valid-until {valid_until} has passed: these cards would never work")
    return Window(since, until)


def _is_date(text: str) -> bool:
    return len(text.strip()) == 10


def _moment(text: str, zone: dt.tzinfo, option: str, end_of_day: bool) -> float:
    try:
        if _is_date(text):
            day = dt.date.fromisoformat(text.strip())
            start = dt.datetime.combine(day + dt.timedelta(days=end_of_day), dt.time(), zone)
            return start.timestamp()
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError as error:
        raise CardsError(
            f"{option} {text!r} is not an ISO date or time (2025-10-09 or 2025-10-09T07:30)"
        ) from error
    return (moment if moment.tzinfo else moment.replace(tzinfo=zone)).timestamp()


def venue_zone(championship: Championship) -> dt.tzinfo:
    try:
        return ZoneInfo(championship.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def people_of(championship: Championship, skill: str | None) -> list[Expert]:
    """Skill by skill in the championship's order, the chief first, then the experts by
    member and name; organizers last (only without `skill`)."""
    if skill is not None and skill not in championship.index.skills:
        raise CardsError(f"no skill {skill!r} in {championship.name}")
    order = {s.id: n for n, s in enumerate(championship.skills)}
    chosen = [p for p in championship.experts if skill is None or p.skill == skill]

    def place(p: Expert) -> tuple[int, int, str, str]:
        return (order.get(p.skill or "", len(order)), p.role != "chief", p.member, p.name)

    return sorted(chosen, key=place)


def base_of(url: str) -> str:
    if not url.startswith(("http://", "https://")) or "#" in url or "?" in url:
        raise CardsError(f"--base-url {url!r}: give intake's address, like http://10.0.0.5:8001")
    return url.rstrip("/")


def cards_for(
    people: Sequence[Expert], secret: str, base_url: str, valid: Window, now: float
) -> list[Card]:
    """One new token per person (issued now), in the links of their QR codes."""
    cards = []
    for person in people:
        token = issue_for(
            Identity(person.id, person.role), secret, until=valid.until, since=valid.since, now=now
        )
        codes = (
            [] if person.role == "organizer" else [("marking", f"{base_url}/mark#token={token}")]
        )
        if person.role != "expert":
            codes.append(("panel", f"{base_url}/chief#token={token}"))
        cards.append(Card(person, tuple(codes)))
    return cards


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


def write_private(path: Path, text: str) -> None:
    """The file holds live tokens: readable by its owner only, replaced whole."""
    partial = path.with_name(f".{path.name}.partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(text)
    partial.replace(path)


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
