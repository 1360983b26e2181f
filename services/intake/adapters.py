"""Intake's side of the event log: append a command and learn its sequence."""

from __future__ import annotations

import msgspec
from faststream.nats import NatsBroker
from nats.errors import Error as NatsError

from shared import subjects
from shared.events import Command, command_decoder


class LogUnavailableError(Exception):
    """The event log cannot take a command now; the client retries with the same id."""


class Stored(msgspec.Struct, frozen=True):
    seq: int
    duplicate: bool


PUBLISH_TIMEOUT_S = 3.0


class EventLog:
    def __init__(self, broker: NatsBroker) -> None:
        self.broker = broker

    async def append(self, command: Command) -> Stored:
        """Store the command once: JetStream drops a second one with the same Nats-Msg-Id."""
        try:
            ack = await self.broker.publish(
                command,
                subject=subjects.commands(command.skill),
                stream=subjects.COMMANDS_STREAM,
                headers={"Nats-Msg-Id": command.id},
                timeout=PUBLISH_TIMEOUT_S,
            )
        except (TimeoutError, NatsError, OSError) as error:
            raise LogUnavailableError(str(error) or type(error).__name__) from error
        return Stored(seq=ack.seq, duplicate=bool(ack.duplicate))

    async def read(self, seq: int) -> Command:
        try:
            raw = await self.broker.connection.jetstream().get_msg(subjects.COMMANDS_STREAM, seq)
        except (TimeoutError, NatsError, OSError) as error:
            raise LogUnavailableError(str(error) or type(error).__name__) from error
        return command_decoder.decode(raw.data or b"")
