"""Write commands straight into the event log, as intake would after accepting them."""

from __future__ import annotations

import asyncio

import nats

from shared import subjects
from shared.crew import subject_of as crew_subject
from shared.events import (
    Command,
    ControlCommand,
    FormCommand,
    MarkRecorded,
    SignInRevoked,
    encoder,
)
from shared.plumbing.clock import iso_now


def mark(
    mark_id: str, competitor: str, aspect: str, expert: str, value: float | None, skill: str
) -> MarkRecorded:
    return MarkRecorded(
        id=mark_id,
        skill=skill,
        competitor=competitor,
        aspect=aspect,
        expert=expert,
        value=value,
        at=iso_now(),
    )


async def append(nats_url: str, *marks: Command) -> list[int]:
    connection = await nats.connect(nats_url)
    try:
        js = connection.jetstream()
        seqs = []
        for command in marks:
            subject = subject_of(command)
            ack = await js.publish(
                subject,
                encoder.encode(command),
                stream=subjects.COMMANDS_STREAM,
                headers={"Nats-Msg-Id": command.id},
            )
            seqs.append(ack.seq)
        return seqs
    finally:
        await connection.close()


def stored_count(nats_url: str) -> int:
    """How many commands the event log holds (from a test's own thread, not its loop)."""

    async def count() -> int:
        connection = await nats.connect(nats_url)
        try:
            info = await connection.jetstream().stream_info(subjects.COMMANDS_STREAM)
            return info.state.messages
        finally:
            await connection.close()

    return asyncio.run(count())


def subject_of(command: Command) -> str:
    """Where intake stores each kind of command."""
    if isinstance(command, MarkRecorded):
        return subjects.mark(command.skill, command.id)
    if isinstance(command, ControlCommand):
        return subjects.control(command.skill)
    if isinstance(command, SignInRevoked):
        return subjects.revocation(command.skill)
    if isinstance(command, FormCommand):
        return subjects.form(command.skill)
    return crew_subject(command)
