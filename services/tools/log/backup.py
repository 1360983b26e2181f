"""`podium backup DIR` and `podium restore DIR`: the event log, the only source of truth, to
files and back.

A backup is `commands.ndjson` (one stored command a line: its sequence, subject, id and the
bytes as stored) and `manifest.json` (how many, the last sequence, a SHA-256 of the lines),
written only once complete. A restore goes into a new, empty log only and gives every command
its old sequence back, so audit references, the jury's expected sequences and the standings
read as before; ranking then rebuilds Redis from it (it notices that Redis is new, or ahead
of the restored log).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import msgspec
from nats.aio.msg import Msg
from nats.errors import Error as NatsError
from nats.js import JetStreamContext
from nats.js.api import Header
from nats.js.errors import NotFoundError

from services.tools.log.reader import LogError, connected, read_commands
from shared import subjects
from shared.plumbing.clock import iso, iso_now
from shared.plumbing.connections import commands_stream
from shared.plumbing.settings import Settings

COMMANDS = "commands.ndjson"
MANIFEST = "manifest.json"
FORMAT = 1


class Record(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One stored command. `data` is the stored bytes as text (commands are UTF-8 JSON)."""

    seq: int
    time: str
    subject: str
    id: str
    data: str


class Manifest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    format: int
    stream: str
    commands: int
    last_seq: int
    sha256: str
    made_at: str


async def backup(settings: Settings, directory: Path) -> Manifest:
    partial = _begun(directory)
    async with connected(settings.nats_url) as client:
        js = client.jetstream()
        last = await _last_seq(js)
        digest, count = hashlib.sha256(), 0
        with partial.open("wb") as out:

            def take(message: Msg, seq: int, pending: int) -> None:
                nonlocal count
                line = _line(message, seq)
                out.write(line)
                digest.update(line)
                count += 1

            # Commands stored after the backup began belong to the next one.
            if last:
                await read_commands(js, subjects.COMMANDS_ALL, take, until=last)
            out.flush()
            os.fsync(out.fileno())
    manifest = Manifest(
        format=FORMAT,
        stream=subjects.COMMANDS_STREAM,
        commands=count,
        last_seq=last,
        sha256=digest.hexdigest(),
        made_at=iso_now(),
    )
    _sealed(directory, partial, manifest)
    return manifest


def _line(message: Msg, seq: int) -> bytes:
    record = Record(
        seq=seq,
        time=iso(message.metadata.timestamp.timestamp()),
        subject=message.subject,
        id=(message.headers or {}).get("Nats-Msg-Id", ""),
        data=message.data.decode(),
    )
    return msgspec.json.encode(record) + b"\n"


def _begun(directory: Path) -> Path:
    """Where the commands go while the backup runs; a backup is never written over."""
    if (directory / MANIFEST).exists():
        raise LogError(f"{directory} already holds a backup; choose an empty directory")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise LogError(f"cannot make {directory}: {error.strerror}") from error
    return directory / f".{COMMANDS}.partial"


def _sealed(directory: Path, partial: Path, manifest: Manifest) -> None:
    # The manifest comes last: a directory without one holds no backup to trust.
    partial.replace(directory / COMMANDS)
    (directory / MANIFEST).write_bytes(msgspec.json.format(msgspec.json.encode(manifest)) + b"\n")


async def restore(settings: Settings, directory: Path) -> Manifest:
    manifest, records = checked(directory)
    async with connected(settings.nats_url) as client:
        js = client.jetstream()
        used = await _last_seq_or_none(js)
        if used is None:
            stream = commands_stream(settings)
            await js.add_stream(stream.config, subjects=list(stream.subjects))
        elif used:
            # Even emptied (purged), a used log numbers on from its last sequence: the
            # commands could not get theirs back.
            raise LogError(
                f"the event log on {settings.nats_url} has held commands (up to seq {used}); "
                "restore only into a new, empty one, before any tablet marks"
            )
        for record in records:
            await _republish(js, record)
    return manifest


def checked(directory: Path) -> tuple[Manifest, list[Record]]:
    """The backup's commands, once the manifest, the checksum and the sequences agree."""
    try:
        manifest = msgspec.json.decode((directory / MANIFEST).read_bytes(), type=Manifest)
        raw = (directory / COMMANDS).read_bytes()
    except OSError as error:
        raise LogError(f"no backup in {directory}: {error.strerror}: {error.filename}") from error
    except msgspec.DecodeError as error:
        raise LogError(f"{directory / MANIFEST} cannot be read: {error}") from error
    if manifest.format != FORMAT:
        raise LogError(f"backup format {manifest.format} is not {FORMAT}, the one this reads")
    if hashlib.sha256(raw).hexdigest() != manifest.sha256:
        raise LogError(f"{directory / COMMANDS} does not match its manifest's SHA-256")
    records = list(_records(raw))
    if len(records) != manifest.commands:
        raise LogError(
            f"{len(records)} commands in the backup, its manifest says {manifest.commands}"
        )
    expected = list(range(1, len(records) + 1))
    if [r.seq for r in records] != expected:
        raise LogError("the backup's sequences are not 1, 2, 3, … without a gap")
    return manifest, records


def _records(raw: bytes) -> Iterator[Record]:
    decoder = msgspec.json.Decoder(Record)
    for number, line in enumerate(raw.splitlines(), start=1):
        try:
            yield decoder.decode(line)
        except msgspec.DecodeError as error:
            raise LogError(f"line {number} of {COMMANDS}: {error}") from error


async def _republish(js: JetStreamContext, record: Record) -> None:
    # The id keeps JetStream's dedup; a mark's subject must still be empty, as when first stored.
    headers = {"Nats-Msg-Id": record.id} if record.id else {}
    if subjects.is_mark(record.subject):
        headers[Header.EXPECTED_LAST_SUBJECT_SEQUENCE.value] = "0"
    try:
        ack = await js.publish(
            record.subject, record.data.encode(), stream=subjects.COMMANDS_STREAM, headers=headers
        )
    except (NatsError, TimeoutError) as error:
        raise LogError(f"command {record.seq} could not be restored: {error}") from error
    if ack.seq != record.seq:
        raise LogError(f"command {record.seq} was stored as {ack.seq}: the log was not empty")


async def _last_seq(js: JetStreamContext) -> int:
    last = await _last_seq_or_none(js)
    if last is None:
        raise LogError(f"no event log {subjects.COMMANDS_STREAM} on this NATS")
    return last


async def _last_seq_or_none(js: JetStreamContext) -> int | None:
    """The log's last sequence (0 for a new one), or None when there is no log at all."""
    try:
        info = await js.stream_info(subjects.COMMANDS_STREAM)
    except NotFoundError:
        return None
    except (NatsError, TimeoutError) as error:
        raise LogError(f"cannot read the event log: {error}") from error
    return info.state.last_seq
