"""Broadcast's composition root: snapshots from NATS to the screens, and the read API."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

from faststream.nats import NatsBroker
from nats.errors import Error as NatsError
from nats.js import JetStreamContext
from prometheus_client import CollectorRegistry
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.routing import BaseRoute, Route
from starlette.types import Lifespan, Receive, Scope, Send

from services.broadcast import api, feed_socket, handlers, pages, protocol, screens
from services.broadcast.ceremony import CEREMONY_CHANNEL, Stage
from services.broadcast.feed import Feeds
from services.broadcast.guard import Doorman
from services.broadcast.metrics import Metrics
from services.broadcast.screens import SCREENS_CHANNEL, Hall, Presence
from services.broadcast.signins import JurySignIns, follow_revocations
from services.broadcast.store import SnapshotStore
from shared.championship import load
from shared.plumbing.connections import close, make_broker, make_redis, patiently, reachable
from shared.plumbing.settings import Settings
from shared.plumbing.tokens import Verifier
from shared.plumbing.web import health_routes, http_problem
from shared.public.view import public_championship

FEED_PATH = "/ws"
log = logging.getLogger("podium.broadcast")


class BroadcastApp(Starlette):
    """The pages and the read API through Starlette; `WS /ws` straight to the feed.

    A screen keeps its connection for hours, and each layer between the server and the feed
    (Starlette's error and exception middleware, the router, the route) would keep a suspended
    coroutine per screen for all that time: about a tenth of what a screen costs."""

    def __init__(
        self,
        broadcast: handlers.Broadcast,
        presence: Presence,
        routes: Sequence[BaseRoute],
        lifespan: Lifespan[Starlette],
    ) -> None:
        super().__init__(
            routes=routes, lifespan=lifespan, exception_handlers={HTTPException: http_problem}
        )
        self.broadcast = broadcast
        self.presence = presence

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket" and scope["path"] == FEED_PATH:
            # A named screen (`?screen=NAME`) is counted in the hall while it stays.
            named = self.presence.arrive(scope)
            try:
                await feed_socket.serve_screen(scope, receive, send, self.broadcast)
            finally:
                if named is not None:
                    self.presence.leave(named)
        else:
            await super().__call__(scope, receive, send)


class Resync:
    """What a replica shows, read again: at start, and after NATS was away."""

    def __init__(self, broadcast: handlers.Broadcast, stage: Stage, hall: Hall, skills: list[str]):
        self.broadcast, self.stage, self.hall, self.skills = broadcast, stage, hall, skills
        self.broker: NatsBroker | None = None
        self.catching_up: set[asyncio.Task[None]] = set()

    def js(self) -> JetStreamContext:
        assert self.broker is not None
        return self.broker.connection.jetstream()

    async def at_start(self) -> None:
        """The revoked sign-ins and the crew's commands from the log, the latest snapshots
        from Redis."""
        await patiently(lambda: self.broadcast.signins.catch_up(self.js()), "revocations")
        await self.broadcast.reload()
        await self.stage.reload(self.broadcast.store, self.skills)
        await patiently(lambda: self.hall.catch_up(self.js()), "crew commands")

    async def reconnected(self) -> None:
        """Whatever was missed. nats-py runs this inside its reconnect, before its read loop is
        back: a JetStream request awaited here times out and breaks the link, so the crew's
        catch-up runs once this returns."""
        await self.broadcast.reload()
        await self.stage.reload(self.broadcast.store, self.skills)
        task = asyncio.create_task(self.crew())
        self.catching_up.add(task)
        task.add_done_callback(self.catching_up.discard)

    async def crew(self) -> None:
        try:
            await self.hall.catch_up(self.js())
        except (NatsError, TimeoutError) as error:
            # The next reconnect tries again; meanwhile the screens keep what they show.
            log.warning("crew commands not read after a reconnect", extra={"error": str(error)})


def build(settings: Settings) -> Starlette:
    championship = load(Path(settings.championship))
    # The screens, the pages and the ceremony name competitors by `public` (docs/privacy.md);
    # `championship` itself serves only to check the jury's tokens.
    public, feeds = public_championship(championship), Feeds()
    redis = make_redis(settings)
    measured = Metrics(CollectorRegistry())
    stage = Stage(public, feeds)
    hall = Hall(feeds, stage)
    presence = Presence(championship, settings.stream_replicas)
    signins = JurySignIns()
    broadcast = handlers.Broadcast(
        championship=championship,
        feeds=feeds,
        verifier=Verifier(settings.secret, signins.revoked_at),
        signins=signins,
        store=SnapshotStore(redis),
        channels=protocol.channels(championship) | {SCREENS_CHANNEL, CEREMONY_CHANNEL},
        connections=measured.connections,
        frames=measured.frames,
        doorman=Doorman(settings),
        turned_away=measured.turned_away,
    )
    resync = Resync(broadcast, stage, hall, [s.id for s in championship.skills])
    broker = make_broker(settings, "broadcast", reconnected=resync.reconnected)
    resync.broker = broker
    snapshots = handlers.Snapshots(broadcast, stage)
    screens.follow_crew(broker, hall, settings)
    follow_revocations(broker, signins, settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.broadcast = broadcast
        await broker.start()
        await handlers.follow(broker.connection, snapshots)
        # After subscribing, so no snapshot or command falls between the load and the feed.
        await resync.at_start()
        await presence.open(broker.connection.jetstream())
        beating = asyncio.create_task(presence.beat())
        yield
        beating.cancel()
        await presence.close()
        await close(broker, redis)

    async def probe() -> dict[str, bool]:
        return await reachable(broker, redis)

    # `WS /ws` (FEED_PATH) is no route: `BroadcastApp` sends it to the feed before Starlette.
    routes = [
        Route("/api/standings", api.all_standings, methods=["GET"]),
        Route("/api/standings/{skill}", api.skill_standings, methods=["GET"]),
        Route("/api/medals", api.medal_table, methods=["GET"]),
        *pages.routes(public, settings),
        *health_routes(probe, measured.registry),
    ]
    app = BroadcastApp(broadcast, presence, routes, lifespan)
    app.state.broker = broker
    # What the AsyncAPI document lists beside `broker`'s own: the snapshots `follow` takes.
    app.state.described = handlers.describe(snapshots, make_broker(settings, "broadcast"))
    return app
