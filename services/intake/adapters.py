"""Intake's side of the event log: append commands, read them back, follow the jury controls
and the revoked sign-ins."""

from __future__ import annotations

import logging

import msgspec
from faststream.nats import JStream, NatsBroker, NatsMessage
from nats.errors import Error as NatsError
from nats.js.api import Header
from nats.js.client import JetStreamContext
from nats.js.errors import APIError, NotFoundError

from services.intake.marks.grouping import BatchUnavailableError, Grouped
from shared import control, crew, revocations, subjects
from shared.asyncapi_types import CommandMessage, ControlMessage, CrewMessage, RevocationMessage
from shared.championship import Competitor
from shared.events import (
    Command,
    ControlCommand,
    CrewCommand,
    MarkRecorded,
    SignInRevoked,
    Status,
    command_decoder,
    encoder,
)
from shared.plumbing.clock import iso
from shared.plumbing.connections import log_follower

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
    def __init__(self, broker: NatsBroker, stream: JStream) -> None:
        self.broker = broker
        self.stream = stream
        self._context: JetStreamContext | None = None
        # The latest mark this intake stored: its forms are read once folded this far.
        self.marks_stored = 0
        # Marks posted together are stored together, one atomic batch per commit (one fsync).
        self.grouped = Grouped(lambda: broker.connection, self._publish, PUBLISH_TIMEOUT_S)
        # Declares the commands stream at start, and documents it in the AsyncAPI document.
        broker.publisher(
            subjects.commands(subjects.SKILL_PARAMETER),
            stream=stream,
            title="intake:commands",
            description="Every accepted command, stored once per id before the answer.",
            schema=CommandMessage,
        )

    def follow_controls(self, controls: Controls) -> None:
        """Jury commands stored by any intake, into `controls` as they come."""

        @log_follower(
            self.broker,
            subjects.CONTROLS_ALL,
            self.stream,
            "intake:controls",
            "Jury commands stored by any intake, so every intake refuses locked marks.",
        )
        async def on_control(command: ControlMessage, message: NatsMessage) -> None:
            if isinstance(command, ControlCommand):
                controls.apply(message.raw_message.metadata.sequence.stream, command)

    def follow_revocations(self, signins: SignIns) -> None:
        """Sign-ins revoked on any intake, into `signins` as they come."""

        @log_follower(
            self.broker,
            subjects.REVOCATIONS_ALL,
            self.stream,
            "intake:revocations",
            "Sign-ins revoked on any intake, so every intake refuses those tokens.",
        )
        async def on_revocation(command: RevocationMessage) -> None:
            if isinstance(command, SignInRevoked):
                signins.apply(command)

    def follow_crew(self, state: crew.Crew) -> None:
        """The venue crew's commands from any intake, into `state` as they come."""

        @log_follower(
            self.broker,
            subjects.CREW_ALL,
            self.stream,
            "intake:crew",
            "The venue crew's commands from any intake: screens and the ceremony.",
        )
        async def on_crew(command: CrewMessage, message: NatsMessage) -> None:
            if isinstance(command, CrewCommand):
                state.apply(message.raw_message.metadata.sequence.stream, command)

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
            self.marks_stored = max(self.marks_stored, existing.seq)
            return Stored(seq=existing.seq, duplicate=True, first=existing.command)
        self.marks_stored = max(self.marks_stored, seq)
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

    async def append_revocation(self, command: SignInRevoked) -> int:
        headers = {"Nats-Msg-Id": command.id}
        try:
            seq, _ = await self._publish(
                subjects.revocation(command.skill), encoder.encode(command), headers
            )
        except APIError as error:
            raise LogUnavailableError(str(error)) from error
        return seq

    async def append_crew(self, command: CrewCommand, expected_last: int | None) -> int:
        """Store a venue crew's command; with `expected_last`, only if its subject's last
        command is still that one (the ceremony moves one step at a time, whoever presses)."""
        headers = {"Nats-Msg-Id": command.id}
        if expected_last is not None:
            headers[Header.EXPECTED_LAST_SUBJECT_SEQUENCE.value] = str(expected_last)
        try:
            seq, _ = await self._publish(crew.subject_of(command), encoder.encode(command), headers)
        except APIError as error:
            if error.err_code == WRONG_LAST_SEQUENCE:
                raise ControlsChangedError(crew.subject_of(command)) from error
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
        try:
            raw = await self._js().get_msg(
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

    def current(self, skill: str) -> control.Control:
        return self.of(skill)[1]

    def status(self, competitor: Competitor) -> Status:
        return control.status_of(self.of(competitor.skill)[1], competitor)

    def apply(self, seq: int, command: ControlCommand) -> None:
        last, current = self.of(command.skill)
        if seq > last:
            self.state[command.skill] = (seq, control.apply(current, command))

    async def catch_up(self, events: EventLog, skills: list[str]) -> None:
        """Read every skill's control commands from the log, so no stale lock lets a mark in."""
        for skill in skills:
            last_seen, _ = self.of(skill)
            for entry in await events.entries(subjects.control(skill), last_seen, 100_000):
                assert isinstance(entry.command, ControlCommand)
                self.apply(entry.seq, entry.command)
        log.info("jury controls loaded", extra={"skills": len(self.state)})


class SignIns:
    """Revoked sign-ins as the log has them: loaded at start, then followed as they come."""

    def __init__(self) -> None:
        self.state = revocations.Revocations()

    def revoked_at(self, person: str) -> int | None:
        return self.state.revoked_at(person)

    def apply(self, command: SignInRevoked) -> None:
        self.state = revocations.apply(self.state, command)

    async def catch_up(self, events: EventLog) -> None:
        """Read every revocation in the log, so a restarted intake refuses what it refused."""
        for entry in await events.entries(subjects.REVOCATIONS_ALL, 0, 1_000_000):
            assert isinstance(entry.command, SignInRevoked)
            self.apply(entry.command)
        log.info("revoked sign-ins loaded", extra={"people": len(self.state.until)})
