"""Revoked sign-ins on broadcast: the jury's view closes to a token whose sign-in was revoked.

Every replica folds the log's revocations as intake does (`shared/revocations.py`): at start,
every one the log holds, then each as any intake stores it. A revoked token is refused the
jury's view from then on (its feed connection gets the public view and a `revoked` error, the
read API 401), and each open jury connection of that token is closed at once, on every
replica, so a lost chief's tablet stops watching embargoed standings and full names within a
second of the revocation.
"""

from __future__ import annotations

import asyncio
import logging

from faststream.nats import NatsBroker
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from services.broadcast.feed import Client
from shared import revocations, subjects
from shared.asyncapi_types import RevocationMessage
from shared.events import SignInRevoked, command_decoder
from shared.plumbing.connections import commands_stream, log_follower
from shared.plumbing.logstream import read_log
from shared.plumbing.settings import Settings
from shared.plumbing.tokens import Claims

log = logging.getLogger("podium.broadcast")

# Policy violation: the screen's page learns why, and reconnects to the public view.
REVOKED_CLOSE = 1008
# How long the catch-up waits on a log that sends nothing while commands are pending.
CATCH_UP_SILENCE_S = 5.0


class JurySignIns:
    """The revocations as the log leaves them, and this replica's open jury connections."""

    def __init__(self) -> None:
        self.state = revocations.Revocations()
        # person -> each open jury connection of theirs, with when its token was issued (ms)
        self.open: dict[str, dict[Client, int]] = {}
        self.closing: set[asyncio.Task[None]] = set()

    def revoked_at(self, person: str) -> int | None:
        return self.state.revoked_at(person)

    def watch(self, client: Client, claims: Claims) -> None:
        """A connection opened to the jury's view: closed if its sign-in is revoked."""
        self.open.setdefault(claims.expert, {})[client] = claims.issued_ms

    def forget(self, client: Client, claims: Claims) -> None:
        watched = self.open.get(claims.expert, {})
        watched.pop(client, None)
        if not watched:
            self.open.pop(claims.expert, None)

    def apply(self, command: SignInRevoked) -> None:
        """Fold a revocation, and close the jury connections of every token it reaches."""
        self.state = revocations.apply(self.state, command)
        revoked = self.state.revoked_at(command.person)
        for client, issued in list(self.open.get(command.person, {}).items()):
            if revocations.covers(revoked, issued):
                task = asyncio.create_task(client.shut(REVOKED_CLOSE, "sign-in revoked"))
                self.closing.add(task)
                task.add_done_callback(self.closing.discard)
                log.info("jury feed closed: sign-in revoked", extra={"person": command.person})

    async def catch_up(self, js: JetStreamContext) -> int:
        """Every revocation the log holds; run after subscribing to new ones."""

        def take(message: Msg, seq: int, pending: int) -> None:
            command = command_decoder.decode(message.data)
            if isinstance(command, SignInRevoked):
                self.apply(command)

        try:
            read = await read_log(
                js, [subjects.REVOCATIONS_ALL], take, silence_s=CATCH_UP_SILENCE_S
            )
        except NotFoundError:
            read = 0
        log.info("revoked sign-ins loaded", extra={"people": len(self.state.until)})
        return read


def follow_revocations(broker: NatsBroker, signins: JurySignIns, settings: Settings) -> None:
    """Sign-ins revoked on any intake, into `signins` as they come."""

    @log_follower(
        broker,
        subjects.REVOCATIONS_ALL,
        commands_stream(settings),
        "broadcast:revocations",
        "Sign-ins revoked on any intake: their jury feeds close on every broadcast replica.",
    )
    async def on_revocation(command: RevocationMessage) -> None:
        if isinstance(command, SignInRevoked):
            signins.apply(command)
