"""Write commands straight into the event log, as intake would after accepting them."""

from __future__ import annotations

import nats

from shared import subjects
from shared.clock import iso_now
from shared.events import Command, MarkRecorded, encoder


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
            subject = (
                subjects.mark(command.skill, command.id)
                if isinstance(command, MarkRecorded)
                else subjects.control(command.skill)
            )
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
