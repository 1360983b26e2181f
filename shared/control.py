"""A skill's jury controls (locks, visibility, reveal, competitors' statuses) as the log's
control commands leave them.

Intake checks marks and jury commands against this state; ranking shows it in the standings.
Both fold the same commands with `apply`, so they cannot disagree on what a command means.
"""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from shared.championship import Competitor
from shared.events import (
    ControlCommand,
    CriterionLocked,
    CriterionUnlocked,
    RowRevealed,
    Status,
    StatusChanged,
    Visibility,
    VisibilityChanged,
)


class Control(msgspec.Struct, frozen=True):
    # Locked criteria, and locked sub-criteria: each locked and unlocked on its own.
    locked: frozenset[str] = frozenset()
    visibility: Visibility = "live"
    revealed: int = 0
    locked_sub_criteria: frozenset[str] = frozenset()
    # competitor id -> status set by the jury during the competition; the championship file's
    # status holds for everyone not listed.
    statuses: dict[str, Status] = {}

    def refuses(self, criterion: str, sub_criterion: str) -> bool:
        """Whether marks for an aspect of this criterion and sub-criterion are locked out."""
        return criterion in self.locked or sub_criterion in self.locked_sub_criteria


def apply(control: Control, command: ControlCommand) -> Control:
    match command:
        case CriterionLocked(sub_criterion=str(sub)):
            subs = control.locked_sub_criteria | {sub}
            return msgspec.structs.replace(control, locked_sub_criteria=subs)
        case CriterionUnlocked(sub_criterion=str(sub)):
            subs = control.locked_sub_criteria - {sub}
            return msgspec.structs.replace(control, locked_sub_criteria=subs)
        case CriterionLocked(criterion=criterion):
            return msgspec.structs.replace(control, locked=control.locked | {criterion})
        case CriterionUnlocked(criterion=criterion):
            return msgspec.structs.replace(control, locked=control.locked - {criterion})
        case VisibilityChanged(mode=mode):
            # A new mode starts any reveal afresh.
            return msgspec.structs.replace(control, visibility=mode, revealed=0)
        case RowRevealed(revealed=revealed):
            return msgspec.structs.replace(control, revealed=revealed)
        case StatusChanged(competitor=competitor, status=status):
            statuses = {**control.statuses, competitor: status}
            return msgspec.structs.replace(control, statuses=statuses)


def status_of(control: Control, competitor: Competitor) -> Status:
    """The competitor's status now: the jury's latest word, else the championship file's."""
    return control.statuses.get(competitor.id, competitor.status)


def as_controlled(control: Control, competitors: Iterable[Competitor]) -> list[Competitor]:
    """The competitors with the statuses the jury gave them, for the ranking rules."""
    return [
        msgspec.structs.replace(c, status=control.statuses[c.id]) if c.id in control.statuses else c
        for c in competitors
    ]


encoder = msgspec.json.Encoder(order="sorted")
decoder = msgspec.json.Decoder(Control)
