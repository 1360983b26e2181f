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
    locked: frozenset[str] = frozenset()
    visibility: Visibility = "live"
    revealed: int = 0


def apply(control: Control, command: ControlCommand) -> Control:
    match command:
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
