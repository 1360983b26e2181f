"""Rebuilding the projection from the event log, fast: the whole log folded in memory first.

The live consumer applies one message at a time (one Redis round trip each), which is what
keeps crash recovery simple; replaying 100,000 marks that way would take minutes. Here the
partition's commands are read in large batches, folded with the same rules as the live path
(`entry_of`, `control.apply`), and written with one pipeline per skill.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field

from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, DeliverPolicy

from services.ranking.handlers import concerned, entry_of, standings_of
from services.ranking.store import RankingStore, marks_of
from shared import control, subjects
from shared.championship import Championship
from shared.events import (
    ControlCommand,
    CrewCommand,
    MarkRecorded,
    SignInRevoked,
    StandingsRow,
    VisibilityChanged,
    command_decoder,
)

log = logging.getLogger("podium.ranking")

PROGRESS_EVERY = 20_000


def position(reply: str) -> tuple[int, int]:
    """Stream sequence and messages still pending, read off a JetStream reply subject.

    `$JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>.<consumer seq>.<time>.<pending>`;
    newer servers put a domain and an account hash after ACK and a token at the end. This
    is what nats-py's `metadata` parses too, without building its objects per message.
    """
    tokens = reply.split(".")
    if len(tokens) == 9:
        return int(tokens[5]), int(tokens[8])
    return int(tokens[7]), int(tokens[10])


@dataclass
class Progress:
    read: int = 0
    last: int = 0
    done: asyncio.Event = field(default_factory=asyncio.Event)

    def advance(self, seq: int, pending: int) -> None:
        self.read += 1
        self.last = seq
        if self.read % PROGRESS_EVERY == 0:
            log.info("replaying the log", extra={"events": self.read, "left": pending})
        if pending == 0:
            self.done.set()


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
    # A push consumer streams the log at full speed, and a callback takes each message
    # without the task per message that nats-py's fetch, next_msg and iterator cost.
    progress = Progress()

    async def take(message: Msg) -> None:
        seq, pending = position(message.reply)
        fold(championship, seq, message.data, folded)
        progress.advance(seq, pending)

    reader = await js.subscribe(
        "",
        stream=subjects.COMMANDS_STREAM,
        cb=take,
        ordered_consumer=True,
        config=ConsumerConfig(
            deliver_policy=DeliverPolicy.ALL,
            filter_subjects=list(filters),
            mem_storage=True,
        ),
        pending_msgs_limit=200_000,
        pending_bytes_limit=512 * 1024 * 1024,
    )
    try:
        info = await reader.consumer_info()
        # Nothing pending and nothing delivered: the partition's log is empty. Otherwise the
        # last message says so itself (pending 0), even if it came before this answer.
        if info.num_pending or (info.delivered and info.delivered.consumer_seq):
            await progress.done.wait()
    finally:
        await reader.unsubscribe()
    read, last = progress.read, progress.last
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
