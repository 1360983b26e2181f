"""Rebuilding the projection from the event log, fast: the whole log folded in memory first.

The live consumer applies one message at a time (one Redis round trip each), which is what
keeps crash recovery simple; replaying 100,000 marks that way would take minutes. Here the
partition's commands are read in large batches, folded with the same rules as the live path
(`entry_of`, `control.apply`), and written with one pipeline per skill.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from nats.aio.msg import Msg
from nats.js import JetStreamContext

from services.ranking.folding import concerned, entry_of, marks_of, standings_of
from services.ranking.store import RankingStore
from shared import control
from shared.championship import Championship
from shared.events import (
    ControlCommand,
    CrewCommand,
    FormCommand,
    MarkRecorded,
    SignInRevoked,
    StandingsRow,
    VisibilityChanged,
    command_decoder,
)
from shared.plumbing.logstream import read_log

log = logging.getLogger("podium.ranking")

PROGRESS_EVERY = 20_000


@dataclass
class Folded:
    """One skill's state as the log leaves it."""

    marks: dict[str, str] = field(default_factory=dict)
    control: control.Control = field(default_factory=control.Control)
    frozen: tuple[StandingsRow, ...] | None = None
    applied: int = 0


def fold(championship: Championship, seq: int, payload: bytes, skills: dict[str, Folded]) -> None:
    command = command_decoder.decode(payload)
    if isinstance(command, SignInRevoked):
        for untouched in concerned(command, skills):
            skills[untouched].applied = seq
        return
    if isinstance(command, CrewCommand):
        return  # the crew's: no skill's state
    skill = skills.get(command.skill)
    if skill is None:
        return
    if isinstance(command, MarkRecorded):
        key, value = entry_of(championship, command)
        if value is None:
            skill.marks.pop(key, None)
        else:
            skill.marks[key] = value
    elif isinstance(command, FormCommand):
        pass  # the forms' sign-off is folded in memory from the log (`signing.load`)
    else:
        skill.control = control.apply(skill.control, command)
        skill.frozen = frozen_board(championship, command, skill)
    skill.applied = seq


def frozen_board(
    championship: Championship, command: ControlCommand, skill: Folded
) -> tuple[StandingsRow, ...] | None:
    """As the live path keeps it: taken at the freeze, from the marks as they stood then."""
    if isinstance(command, VisibilityChanged) and command.mode == "frozen":
        marks = marks_of(skill.marks)
        return standings_of(championship, command.skill, marks, skill.control).rows
    return skill.frozen if skill.control.visibility == "frozen" else None


async def replay(
    js: JetStreamContext,
    store: RankingStore,
    championship: Championship,
    skills: tuple[str, ...],
    filters: tuple[str, ...],
) -> int:
    """Refill the skills' state from the whole log; returns the last sequence read."""
    began = time.perf_counter()
    folded = {skill: Folded() for skill in skills}
    read = last = 0

    def take(message: Msg, seq: int, pending: int) -> None:
        nonlocal read, last
        fold(championship, seq, message.data, folded)
        read, last = read + 1, seq
        if read % PROGRESS_EVERY == 0:
            log.info("replaying the log", extra={"events": read, "left": pending})

    await read_log(js, filters, take)
    for skill, state in folded.items():
        await store.restore(skill, state.marks, state.control, state.frozen, state.applied)
    seconds = time.perf_counter() - began
    log.info(
        "log replayed",
        extra={
            "events": read,
            "seconds": round(seconds, 3),
            "per_second": int(read / seconds) if seconds else 0,
        },
    )
    return last
