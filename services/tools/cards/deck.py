"""`podium cards`: the sign-in cards handed out at the experts' briefing, eight to an A4 page.

Each card names its person (member, skill, role), says when it is valid, and carries a QR code
of the person's sign-in link (`URL/mark#token=…`; a chief's card has a second one for
`URL/chief#token=…`, an organizer's only that one). One self-contained HTML file: the codes
are inline SVG, the style inline CSS, nothing is fetched when it is shown or printed, and
everything reads in black and white. The file holds live tokens: it is written for its owner
only, and a lost card is revoked on the chief's panel (`POST /api/revocations`).

Here: who gets a card, with which links, valid when. `card_page.py` draws the cards,
`card_words.py` holds their words.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shared.championship import Championship, Expert
from shared.plumbing.tokens import Identity, issue_for

# A card printed without --valid-until lasts one championship day.
DEFAULT_HOURS = 16


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


def write_private(path: Path, text: str) -> None:
    """The file holds live tokens: readable by its owner only, replaced whole."""
    partial = path.with_name(f".{path.name}.partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(text)
    partial.replace(path)
