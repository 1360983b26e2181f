"""The hall's named screens on broadcast: what each is told to show (the `screens` channel, from
the crew's commands in the log), and where each says it is (presence, for intake's list).

A display opened as `/display?screen=NAME` subscribes to `screens`, finds its own name there,
and follows what it says. It reports itself on the feed's address (`/ws?screen=NAME&lang=kk`):
this replica writes it to the presence bucket when it comes and goes, and every
`PRESENCE_EVERY_S` while it stays.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import secrets
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from faststream.nats import NatsBroker, NatsMessage
from nats.errors import Error as NatsError
from nats.js.client import JetStreamContext
from nats.js.errors import BucketNotFoundError
from nats.js.kv import KeyValue
from starlette.types import Scope

from services.broadcast.ceremony import Stage
from services.broadcast.feed import Feeds
from services.broadcast.protocol import frame
from shared import crew, subjects
from shared.asyncapi_types import CrewMessage
from shared.championship import Championship
from shared.events import CrewCommand, ScreenAssigned
from shared.plumbing.clock import iso_now
from shared.plumbing.connections import commands_stream, log_follower
from shared.plumbing.settings import Settings

log = logging.getLogger("podium.broadcast")

SCREENS_CHANNEL = "screens"
WRITE_TIMEOUT_S = 2.0


@dataclass
class Hall:
    """The crew's state on this replica, as every replica folds it from the log."""

    feeds: Feeds
    stage: Stage
    crew: crew.Crew = field(default_factory=crew.Crew)
    # False until the log was read (`catch_up`): until then nothing is sent.
    ready: bool = False

    def follow(self, seq: int, command: CrewCommand) -> None:
        if not self.crew.apply(seq, command) or not self.ready:
            return
        if isinstance(command, ScreenAssigned):
            self.publish_screens()
        else:
            self.stage.moved(self.crew.ceremony, self.crew.ceremony_seq)

    async def catch_up(self, js: JetStreamContext) -> None:
        """Everything the log holds, then the channels' first frames (none was sent before:
        a screen must not show its default while its assignment is being read)."""
        read = await crew.catch_up(js, self.crew)
        log.info("crew commands loaded", extra={"commands": read})
        self.ready = True
        self.publish_screens()
        self.stage.moved(self.crew.ceremony, self.crew.ceremony_seq)

    def publish_screens(self) -> None:
        assigned = {name: a.show for name, a in sorted(self.crew.screens.items())}
        shown = frame(SCREENS_CHANNEL, self.crew.screens_version, "", {"screens": assigned})
        self.feeds.update(shown, shown)


@dataclass
class Named:
    """A connection of a named screen on this replica."""

    screen: str
    language: str
    since: str


class Presence:
    """Named screens connected to this replica, written to the presence bucket."""

    def __init__(self, championship: Championship, replicas: int) -> None:
        self.languages = frozenset(championship.languages)
        self.replicas = replicas
        self.here: dict[str, Named] = {}
        self.js: JetStreamContext | None = None
        self.bucket: KeyValue | None = None
        self.writing: set[asyncio.Task[None]] = set()

    async def open(self, js: JetStreamContext) -> None:
        self.js = js
        await self._bucket()

    async def _bucket(self) -> KeyValue:
        """The presence bucket, made if missing: it lives in NATS's memory, so a restarted
        NATS has none until a replica writes again."""
        if self.bucket is None:
            assert self.js is not None, "open() first"
            try:
                self.bucket = await self.js.key_value(crew.PRESENCE_BUCKET)
            except BucketNotFoundError:
                config = crew.presence_bucket(self.replicas)
                self.bucket = await self.js.create_key_value(config)
        return self.bucket

    def arrive(self, scope: Scope) -> str | None:
        """Count a named screen's connection in; its id, or None for a screen without a name
        (a spectator's phone, a preview, a display shown by address alone)."""
        query = dict(parse_qsl(scope["query_string"].decode("latin-1")))
        name = query.get("screen", "")
        if not re.fullmatch(crew.SCREEN_NAME, name):
            return None
        language = query.get("lang", "")
        connection = secrets.token_hex(6)
        self.here[connection] = Named(
            name, language if language in self.languages else "en", iso_now()
        )
        self.write(connection, connected=True)
        return connection

    def leave(self, connection: str) -> None:
        named = self.here.pop(connection)
        # Another connection of that name may stay (the page reloaded): it speaks for it.
        staying = next((c for c, n in self.here.items() if n.screen == named.screen), None)
        if staying is not None:
            self.write(staying, connected=True)
        else:
            self.write(connection, connected=False, named=named)

    async def beat(self) -> None:
        """Say every `PRESENCE_EVERY_S` that this replica's screens are still here."""
        while True:
            await asyncio.sleep(crew.PRESENCE_EVERY_S)
            latest = {named.screen: connection for connection, named in self.here.items()}
            for connection in latest.values():
                self.write(connection, connected=True)

    def write(self, connection: str, connected: bool, named: Named | None = None) -> None:
        named = named or self.here[connection]
        record = crew.Presence(
            screen=named.screen,
            language=named.language,
            since=named.since,
            seen=iso_now(),
            connected=connected,
            connection=connection,
        )
        task = asyncio.create_task(self._put(record))
        self.writing.add(task)
        task.add_done_callback(self.writing.discard)

    async def _put(self, record: crew.Presence) -> None:
        if self.js is None:
            return  # a screen came before the start finished: the first beat writes it
        encoded = crew.presence_encoder.encode(record)
        try:
            async with asyncio.timeout(WRITE_TIMEOUT_S):
                bucket = await self._bucket()
                if record.connected:
                    await bucket.put(record.screen, encoded)
                    return
                # Gone: written only if the entry is still this connection's, not a newer
                # one's (on another replica, or a reload that came first).
                entry = await bucket.get(record.screen)
                held = crew.presence_decoder.decode(entry.value) if entry.value else None
                if held is None or held.connection == record.connection:
                    await bucket.update(record.screen, encoded, last=entry.revision)
        except (NatsError, TimeoutError, OSError) as error:
            # NATS away, or its memory lost: the bucket is found (or made) again, and the next
            # beat writes what is here. Presence is the crew's convenience, never the screen's.
            self.bucket = None
            log.warning("screen presence not written", extra={"error": str(error)})

    async def close(self) -> None:
        for task in list(self.writing):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


def follow_crew(broker: NatsBroker, hall: Hall, settings: Settings) -> None:
    """The venue crew's commands from the log into `hall`, as any intake stores them."""

    # The log as every service declares it: broadcast may be the first to start.
    stream = commands_stream(settings)
    described = "The venue crew's commands: what each named screen shows, the ceremony."

    @log_follower(broker, subjects.CREW_ALL, stream, "broadcast:crew", described)
    async def on_crew(command: CrewMessage, message: NatsMessage) -> None:
        if isinstance(command, CrewCommand):
            hall.follow(message.raw_message.metadata.sequence.stream, command)
