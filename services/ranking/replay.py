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

from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from services.ranking.handlers import entry_of
from services.ranking.store import RankingStore
from shared import control, subjects
from shared.championship import Championship
from shared.events import MarkRecorded, command_decoder

log = logging.getLogger("podium.ranking")

BATCH = 2000
PROGRESS_EVERY = 20_000


@dataclass
class Folded:
    """One skill's state as the log leaves it."""

    marks: dict[str, str] = field(default_factory=dict)
    control: control.Control = field(default_factory=control.Control)
    applied: int = 0


def fold(championship: Championship, seq: int, payload: bytes, skills: dict[str, Folded]) -> None:
    command = command_decoder.decode(payload)
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
    skill.applied = seq


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
    reader = await js.pull_subscribe(
        "",
        stream=subjects.COMMANDS_STREAM,
        config=ConsumerConfig(
            deliver_policy=DeliverPolicy.ALL,
            ack_policy=AckPolicy.NONE,
            filter_subjects=list(filters),
            inactive_threshold=60.0,
            mem_storage=True,
        ),
    )
    last = read = 0
    try:
        pending = (await reader.consumer_info()).num_pending
        while pending:
            for message in await reader.fetch(BATCH, timeout=5):
                metadata = message.metadata
                fold(championship, metadata.sequence.stream, message.data, folded)
                last, pending = metadata.sequence.stream, metadata.num_pending
                read += 1
                if read % PROGRESS_EVERY == 0:
                    log.info("replaying the log", extra={"events": read, "left": pending})
    finally:
        await reader.unsubscribe()
    for skill, state in folded.items():
        await store.restore(skill, state.marks, state.control, state.applied)
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
