"""`podium publish`: the results site written from the standings ranking stored, whole or not
at all (docs/after-the-championship.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import msgspec

from services.tools.log.export import latest_standings
from services.tools.results.board import results
from services.tools.results.output import replaced_folder
from services.tools.results.site import pages
from shared.championship import Championship
from shared.events import Standings
from shared.plumbing.settings import Settings
from shared.public.view import public_championship

SITE_MARK = "results.json"
_json = msgspec.json.Encoder(decimal_format="number")


def unofficial(championship: Championship, stored: dict[str, Standings]) -> list[str]:
    """One line per skill without official results: no standings yet, or not final."""
    lines = []
    for skill in championship.skills:
        if skill.id not in stored:
            lines.append(f"podium: {skill.id}: no standings yet")
        elif stored[skill.id].visibility != "final":
            lines.append(f"podium: {skill.id}: not final ({stored[skill.id].visibility})")
    return lines


def write_site(championship: Championship, stored: dict[str, Standings], target: Path) -> int:
    """Write the site into `target`, replacing a site published there before; the number of
    pages written."""
    # The site is a public surface: it is made from the public championship alone, which
    # holds no full name, birth date or consent of anyone (docs/privacy.md).
    public = public_championship(championship)
    made = results(public, stored)
    count = 0
    with replaced_folder(target, SITE_MARK) as folder:
        for path, html in pages(public, made):
            page = folder / path
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(html, encoding="utf-8")
            count += 1
        data = msgspec.json.format(_json.encode(made), indent=2)
        (folder / SITE_MARK).write_bytes(data + b"\n")
    return count


async def publish(settings: Settings, championship: Championship, target: Path) -> str:
    stored = await latest_standings(settings, championship)
    for line in unofficial(championship, stored):
        print(line, file=sys.stderr)
    count = write_site(championship, stored, target)
    final = sum(1 for s in stored.values() if s.visibility == "final")
    return f"podium: {count} pages, {final} of {len(championship.skills)} skills final, in {target}"
