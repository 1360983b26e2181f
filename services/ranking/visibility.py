"""What the public may see of a skill (docs/rules.md, "Visibility"), as pure functions.

live and final: the standings as they are. progress: how far marking has gone, no marks and
no ranks. frozen: the board as it was when the jury froze it; once the reveal begins, the
final standings from last place up, one more row per reveal command. The jury-only parts
(pending and disputed panels, locks) are never public.
"""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from shared.events import Standings, StandingsRow, TickerItem, Visibility


def public_view(standings: Standings, frozen: tuple[StandingsRow, ...] | None) -> Standings:
    rows: tuple[StandingsRow, ...]
    match standings.visibility:
        case "progress":
            rows = tuple(
                _progress_only(row) for row in sorted(standings.rows, key=lambda r: r.competitor)
            )
        case "frozen" if standings.revealed:
            rows = standings.rows[-standings.revealed :]
        case "frozen":
            rows = frozen if frozen is not None else ()
        case _:
            rows = standings.rows
    return msgspec.structs.replace(
        standings, rows=rows, pending=(), disputed=(), locked=(), locked_sub_criteria=()
    )


def _progress_only(row: StandingsRow) -> StandingsRow:
    return StandingsRow(
        rank=None,
        competitor=row.competitor,
        name=row.name,
        member=row.member,
        progress=row.progress,
        # Who takes part, and how, is no mark: the public sees it in every mode.
        status=row.status,
        team=row.team,
    )


def public_ticker(
    items: tuple[TickerItem, ...], visibility: Mapping[str, Visibility]
) -> tuple[TickerItem, ...]:
    """Marks of live and final skills as they are; of skills in progress, without values;
    of frozen skills, none (the public board does not move, nor does its ticker)."""
    shown = []
    for item in items:
        match visibility.get(item.skill, "live"):
            case "frozen":
                continue
            case "progress":
                shown.append(msgspec.structs.replace(item, value=None))
            case _:
                shown.append(item)
    return tuple(shown)
