"""A marking day of the demo experts' plan written into the real event log and ranked by the
real ranking, some skills then made final: what `podium publish` and `podium certificates`
read after a championship."""

from __future__ import annotations

from collections.abc import Collection

from services.ranking.app import build
from services.tools.demo.experts import day_plan
from shared.championship import Championship
from shared.events import Command, Standings, VisibilityChanged
from shared.plumbing.clock import iso_now
from shared.plumbing.settings import Settings
from tests.support.boards import stored_boards
from tests.support.eventually import eventually
from tests.support.log import append, mark
from tests.support.services import serving


def marking_day(
    championship: Championship, marked: Collection[str], final: Collection[str]
) -> list[Command]:
    """The day's marks of the `marked` skills, then each of the `final` skills made final."""
    commands: list[Command] = []
    for p in day_plan(championship, seed=7):
        skill = championship.index.competitors[p.competitor].skill
        if skill in marked:
            commands.append(mark(p.id, p.competitor, p.aspect, p.expert, p.value, skill))
    organizer = next(e for e in championship.experts if e.role == "organizer")
    for skill in final:
        commands.append(
            VisibilityChanged(f"final-{skill}", skill, "final", organizer.id, iso_now())
        )
    return commands


async def ranked_day(
    settings: Settings,
    championship: Championship,
    marked: Collection[str],
    final: Collection[str],
) -> dict[str, Standings]:
    """Every skill's stored standings once ranking applied the whole day."""
    commands = marking_day(championship, marked, final)
    async with serving(build(settings)):
        seqs = await append(settings.nats_url, *commands)
        last = {getattr(c, "skill", ""): seq for c, seq in zip(commands, seqs, strict=True)}
        return await eventually(
            lambda: stored_boards(settings.redis_url),
            lambda boards: (
                all(s in boards and boards[s].version >= v for s, v in last.items())
                and all(boards[s].visibility == "final" for s in final)
            ),
            within=90,
            what="the day's standings",
        )
