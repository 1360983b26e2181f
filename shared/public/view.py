"""The public championship: what everyone may know of the championship, with competitors under
their public names (docs/privacy.md). Every public surface is built from it.

    public = public_championship(championship)        # once, when a service loads
    public.index.competitors["KZ-MR-1"].name          # "A. S.", "Aigerim S." or the name
    msgspec.json.encode(public)                       # `GET /api/championship`

A `PublicCompetitor` has no full name, no `birth_date` and no `consent` field at all, so a
public board, ticker, ceremony step, page or export that takes its names from here cannot
publish what it was never given. The jury's side (tokens, the chief's panel, the organisers'
exports) keeps reading `Championship`.

Ranking's snapshots carry the public view already (`StandingsPublished.public`, the `public`
ticker): their rows are named from here. Whatever is made for the public from the jury's
rows (the final results, certificates) names each row by
`public.index.competitors[row.competitor]` (`name`, `team`), never by the row's own `name`.

The age of a competitor is taken on the championship's `starts`, or on the day it was loaded
when it has none; the public names are worked out here once, never per request or per screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

import msgspec

from shared.championship import Championship, Competitor, Member, Skill
from shared.events import Status
from shared.public.names import public_name


class PublicCompetitor(msgspec.Struct, frozen=True):
    """A competitor as the public sees them: `name` is the public name, `team` the team
    members' public names."""

    id: str
    name: str
    member: str
    skill: str
    status: Status = "competing"
    team: tuple[str, ...] = ()


class PublicChampionship(msgspec.Struct, frozen=True, dict=True):
    """The championship as `GET /api/championship` shows it: no experts, no private data."""

    id: str
    name: str
    venue: str
    timezone: str
    languages: tuple[str, ...]
    members: tuple[Member, ...]
    skills: tuple[Skill, ...]
    competitors: tuple[PublicCompetitor, ...]
    starts: date | None = None
    ends: date | None = None

    @cached_property
    def index(self) -> PublicIndex:
        return PublicIndex(
            members={m.code: m for m in self.members},
            skills={s.id: s for s in self.skills},
            competitors={c.id: c for c in self.competitors},
        )


@dataclass(frozen=True)
class PublicIndex:
    """Look-ups by id, built once per public championship."""

    members: dict[str, Member]
    skills: dict[str, Skill]
    competitors: dict[str, PublicCompetitor]


def public_championship(
    championship: Championship, today: date | None = None
) -> PublicChampionship:
    """The public view of `championship`, ages taken on its `starts`, else on `today` (the day
    it is loaded: `date.today()` when not given)."""
    on = championship.starts or today or date.today()
    return PublicChampionship(
        id=championship.id,
        name=championship.name,
        venue=championship.venue,
        timezone=championship.timezone,
        languages=championship.languages,
        members=championship.members,
        skills=championship.skills,
        competitors=tuple(_public(c, championship, on) for c in championship.competitors),
        starts=championship.starts,
        ends=championship.ends,
    )


def _public(competitor: Competitor, championship: Championship, on: date) -> PublicCompetitor:
    privacy = championship.privacy

    def shown(name: str) -> str:
        return public_name(
            name,
            consent=competitor.consent,
            birth_date=competitor.birth_date,
            policy=privacy.public_names,
            minor_age=privacy.minor_age,
            on=on,
        )

    return PublicCompetitor(
        id=competitor.id,
        name=shown(competitor.name),
        member=competitor.member,
        skill=competitor.skill,
        status=competitor.status,
        # A team's members are named by the team's consent and ages: the file records them
        # for the team as a whole.
        team=tuple(shown(member) for member in competitor.team),
    )
