"""Intake's side of the event log: append commands, read them back, follow the jury controls."""

from __future__ import annotations

import logging

import msgspec
from faststream.nats import NatsBroker
from nats.errors import Error as NatsError
from nats.js.api import Header
from nats.js.client import JetStreamContext
from nats.js.errors import APIError, NotFoundError

from services.intake.grouping import BatchUnavailableError, Grouped
from shared import control, subjects
from shared.clock import iso
from shared.events import Command, ControlCommand, MarkRecorded, command_decoder, encoder

log = logging.getLogger("podium.intake")

PUBLISH_TIMEOUT_S = 3.0
# JetStream's answer when Nats-Expected-Last-Subject-Sequence does not hold.
WRONG_LAST_SEQUENCE = 10071


class LogUnavailableError(Exception):
    """The event log cannot take a command now; the client retries with the same id."""


class ControlsChangedError(Exception):
    """Another jury command on the skill landed first; the caller looks again."""


class Stored(msgspec.Struct, frozen=True):
    seq: int
    duplicate: bool
    # For a duplicate: the command the log holds under that id.
    first: Command | None = None


class Entry(msgspec.Struct, frozen=True):
    seq: int
    time: str
    command: Command


class EventLog:
    def __init__(self, broker: NatsBroker) -> None:
        self.broker = broker
        self._context: JetStreamContext | None = None
        # Marks posted together are stored together, one atomic batch per commit (one fsync).
        self.grouped = Grouped(lambda: broker.connection, self._publish, PUBLISH_TIMEOUT_S)

    def _js(self) -> JetStreamContext:
        """The broker's JetStream context, made once the broker is connected and then kept."""
        if self._context is None:
            self._context = self.broker.connection.jetstream()
        return self._context

    async def append_mark(self, mark: MarkRecorded) -> Stored:
        """Store the mark unless its id was ever stored: its own subject must still be empty.

        This lasts for the life of the stream, unlike JetStream's duplicate window, and does
        not depend on Redis or on intake's memory.
        """
        subject = subjects.mark(mark.skill, mark.id)
        headers = {
            "Nats-Msg-Id": mark.id,
            Header.EXPECTED_LAST_SUBJECT_SEQUENCE.value: "0",
            Header.EXPECTED_STREAM.value: subjects.COMMANDS_STREAM,
        }
        try:
            seq, duplicate = await self.grouped.store(subject, encoder.encode(mark), headers)
        except BatchUnavailableError as error:
            raise LogUnavailableError(str(error)) from error
        except APIError as error:
            if error.err_code != WRONG_LAST_SEQUENCE:
                raise LogUnavailableError(str(error)) from error
            existing = await self._last_on(subject)
            return Stored(seq=existing.seq, duplicate=True, first=existing.command)
        if duplicate:
            return Stored(seq=seq, duplicate=True, first=await self.read(seq))
        return Stored(seq=seq, duplicate=False)

    async def append_control(self, command: ControlCommand, expected_last: int) -> int:
        """Store a jury command only if the skill's controls are still as the caller saw them."""
        headers = {
            "Nats-Msg-Id": command.id,
            Header.EXPECTED_LAST_SUBJECT_SEQUENCE.value: str(expected_last),
        }
        try:
            seq, _ = await self._publish(
                subjects.control(command.skill), encoder.encode(command), headers
            )
        except APIError as error:
            if error.err_code == WRONG_LAST_SEQUENCE:
                raise ControlsChangedError(command.skill) from error
            raise LogUnavailableError(str(error)) from error
        return seq

    async def _publish(
        self, subject: str, payload: bytes, headers: dict[str, str]
    ) -> tuple[int, bool]:
        # nats-py's own publish on the broker's connection: FastStream's publish path (its
        # middlewares and serializer) cost a tenth of intake's time per mark.
        try:
            ack = await self._js().publish(
                subject,
                payload,
                timeout=PUBLISH_TIMEOUT_S,
                stream=subjects.COMMANDS_STREAM,
                headers=headers,
            )
        except APIError:
            raise
        except (TimeoutError, NatsError, OSError) as error:
            raise LogUnavailableError(str(error) or type(error).__name__) from error
        return ack.seq, bool(ack.duplicate)

    async def read(self, seq: int) -> Command:
        return (await self._get(seq=seq)).command

    async def _last_on(self, subject: str) -> Entry:
        return await self._get(subject=subject)

    async def entries(self, subject: str, after: int, limit: int) -> list[Entry]:
        """Up to `limit` commands on `subject` (wildcards allowed) with a sequence above `after`."""
        found: list[Entry] = []
        seq = after + 1
        while len(found) < limit:
            try:
                entry = await self._get(seq=seq, subject=subject, next_match=True)
            except NotFoundError:
                break
            found.append(entry)
            seq = entry.seq + 1
        return found

    async def last_seq(self, subject: str) -> int:
        try:
            return (await self._last_on(subject)).seq
        except NotFoundError:
            return 0

    async def _get(
        self, seq: int | None = None, subject: str | None = None, next_match: bool = False
    ) -> Entry:
        js = self._js()
        try:
            raw = await js.get_msg(
                subjects.COMMANDS_STREAM, seq=seq, subject=subject, next=next_match
            )
        except NotFoundError:
            raise
        except (TimeoutError, NatsError, OSError) as error:
            raise LogUnavailableError(str(error) or type(error).__name__) from error
        assert raw.seq is not None
        time = iso(raw.time.timestamp()) if raw.time else ""
        return Entry(seq=raw.seq, time=time, command=command_decoder.decode(raw.data or b""))


class Controls:
    """Each skill's jury controls as the log has them, with the sequence of the last one."""

    def __init__(self) -> None:
        self.state: dict[str, tuple[int, control.Control]] = {}

    def of(self, skill: str) -> tuple[int, control.Control]:
        return self.state.get(skill, (0, control.Control()))

    def locked(self, skill: str) -> frozenset[str]:
        return self.of(skill)[1].locked

    def apply(self, seq: int, command: ControlCommand) -> None:
        last, current = self.of(command.skill)
        if seq > last:
            self.state[command.skill] = (seq, control.apply(current, command))

    async def catch_up(self, events: EventLog, skills: list[str]) -> None:
        """Read every skill's control commands from the log, so no stale lock lets a mark in."""
        for skill in skills:
            last_seen, _ = self.of(skill)
            for entry in await events.entries(subjects.control(skill), last_seen, 100_000):
                assert not isinstance(entry.command, MarkRecorded)
                self.apply(entry.seq, entry.command)
        log.info("jury controls loaded", extra={"skills": len(self.state)})
