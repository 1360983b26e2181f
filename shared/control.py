"""A skill's jury controls (locks, visibility, reveal) as the log's control commands leave them.

Intake checks marks and jury commands against this state; ranking shows it in the standings.
Both fold the same commands with `apply`, so they cannot disagree on what a command means.
"""

from __future__ import annotations

import msgspec

from shared.events import (
    ControlCommand,
    CriterionLocked,
    CriterionUnlocked,
    RowRevealed,
    Visibility,
    VisibilityChanged,
)


class Control(msgspec.Struct, frozen=True):
    # Locked criteria, and locked sub-criteria: each locked and unlocked on its own.
    locked: frozenset[str] = frozenset()
    visibility: Visibility = "live"
    revealed: int = 0
    locked_sub_criteria: frozenset[str] = frozenset()

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


encoder = msgspec.json.Encoder(order="sorted")
decoder = msgspec.json.Decoder(Control)
