"""What the public may see of a skill (docs/rules.md, "Visibility"), as pure functions.

live and final: the standings as they are. progress: how far marking has gone, no marks and
no ranks. frozen: the board as it was when the jury froze it; once the reveal begins, the
final standings from last place up, one more row per reveal command. The jury-only parts
(pending and disputed panels, locks) are never public.

Every public row and ticker item is made here, field by field, with the competitor's public
name from the public championship (docs/privacy.md): nothing of the jury's row is copied over
wholesale, so the name the jury sees has no way onto a public board.
"""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from shared.events import Standings, StandingsRow, TickerItem, Visibility
from shared.public.view import PublicChampionship, PublicCompetitor


def public_view(
    standings: Standings, frozen: tuple[StandingsRow, ...] | None, public: PublicChampionship
) -> Standings:
    rows: tuple[StandingsRow, ...]
    match standings.visibility:
        case "progress":
            ordered = sorted(standings.rows, key=lambda r: r.competitor)
            rows = tuple(_public_row(row, public, marks=False) for row in ordered)
        case "frozen" if standings.revealed:
            rows = _public_rows(standings.rows[-standings.revealed :], public)
        case "frozen":
            rows = _public_rows(frozen or (), public)
        case _:
            rows = _public_rows(standings.rows, public)
    return msgspec.structs.replace(
        standings, rows=rows, pending=(), disputed=(), locked=(), locked_sub_criteria=()
    )


def _public_rows(
    rows: tuple[StandingsRow, ...], public: PublicChampionship
) -> tuple[StandingsRow, ...]:
    return tuple(_public_row(row, public, marks=True) for row in rows)


def _public_row(row: StandingsRow, public: PublicChampionship, marks: bool) -> StandingsRow:
    """The row with the competitor's public names; without marks or rank where the public sees
    marking progress only. Who takes part, and how, is no mark: the status is in every mode."""
    competitor = _competitor(row.competitor, public)
    if not marks:
        return StandingsRow(
            rank=None,
            competitor=row.competitor,
            name=competitor.name,
            member=row.member,
            progress=row.progress,
            status=row.status,
            team=competitor.team,
        )
    return StandingsRow(
        rank=row.rank,
        competitor=row.competitor,
        name=competitor.name,
        member=row.member,
        progress=row.progress,
        total=row.total,
        criteria=row.criteria,
        scale=row.scale,
        medal=row.medal,
        status=row.status,
        team=competitor.team,
    )


def _competitor(competitor: str, public: PublicChampionship) -> PublicCompetitor:
    found = public.index.competitors.get(competitor)
    # A row of a competitor the file no longer has (an old frozen board): named by its id.
    return found if found is not None else PublicCompetitor(competitor, competitor, "", "")


def public_ticker(
    items: tuple[TickerItem, ...], visibility: Mapping[str, Visibility], public: PublicChampionship
) -> tuple[TickerItem, ...]:
    """Marks of live and final skills as they are; of skills in progress, without values;
    of frozen skills, none (the public board does not move, nor does its ticker)."""
    shown = []
    for item in items:
        match visibility.get(item.skill, "live"):
            case "frozen":
                continue
            case "progress":
                shown.append(_public_item(item, public, value=None))
            case _:
                shown.append(_public_item(item, public, value=item.value))
    return tuple(shown)


def _public_item(item: TickerItem, public: PublicChampionship, value: float | None) -> TickerItem:
    return TickerItem(
        seq=item.seq,
        skill=item.skill,
        competitor=item.competitor,
        name=_competitor(item.competitor, public).name,
        member=item.member,
        aspect=item.aspect,
        at=item.at,
        value=value,
        withdrawn=item.withdrawn,
    )
