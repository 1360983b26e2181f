"""Broadcast's composition root: snapshots from NATS to the screens, and the read API."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

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
from services.broadcast.store import SnapshotStore
from shared.championship import load
from shared.connections import close, make_broker, make_redis, reachable
from shared.settings import Settings
from shared.tokens import Verifier
from shared.web import health_routes, http_problem

FEED_PATH = "/ws"


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


def build(settings: Settings) -> Starlette:
    championship = load(Path(settings.championship))
    redis = make_redis(settings)
    measured = Metrics(CollectorRegistry())
    feeds = Feeds()
    stage = Stage(championship, feeds)
    hall = Hall(feeds, stage)
    presence = Presence(championship, settings.stream_replicas)
    broadcast = handlers.Broadcast(
        championship=championship,
        feeds=feeds,
        verifier=Verifier(settings.secret),
        store=SnapshotStore(redis),
        channels=protocol.channels(championship) | {SCREENS_CHANNEL, CEREMONY_CHANNEL},
        connections=measured.connections,
        frames=measured.frames,
        doorman=Doorman(settings),
        turned_away=measured.turned_away,
    )
    skills = [s.id for s in championship.skills]

    async def reload() -> None:
        """After NATS was away: whatever snapshots and crew commands were missed."""
        await broadcast.reload()
        await stage.reload(broadcast.store, skills)
        await hall.catch_up(broker.connection.jetstream())

    broker = make_broker(settings, "broadcast", reconnected=reload)
    handlers.subscribe(broker, broadcast, stage)
    screens.follow_crew(broker, hall, settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.broadcast = broadcast
        await broker.start()
        # After subscribing, so no snapshot or command falls between the load and the feed.
        await reload()
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
        *pages.routes(championship, settings),
        *health_routes(probe, measured.registry),
    ]
    app = BroadcastApp(broadcast, presence, routes, lifespan)
    app.state.broker = broker
    return app
