"""Broadcast's composition root: snapshots from NATS to the screens, and the read API."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

from faststream.nats import NatsMessage
from nats.js.api import DeliverPolicy
from prometheus_client import CollectorRegistry, Counter, Gauge
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.routing import BaseRoute, Route
from starlette.types import Lifespan, Receive, Scope, Send

from services.broadcast import handlers, pages, protocol
from services.broadcast.ceremony import CEREMONY_CHANNEL, Stage
from services.broadcast.feed import Feeds
from services.broadcast.guard import Doorman
from services.broadcast.screens import SCREENS_CHANNEL, Hall, Presence
from services.broadcast.store import SnapshotStore
from shared import subjects
from shared.championship import load
from shared.connections import close, commands_stream, make_broker, make_redis, reachable
from shared.documented import CrewMessage, MedalsMessage, StandingsMessage, TickerMessage
from shared.events import CrewCommand
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
                await handlers.serve_screen(scope, receive, send, self.broadcast)
            finally:
                if named is not None:
                    self.presence.leave(named)
        else:
            await super().__call__(scope, receive, send)


def build(settings: Settings) -> Starlette:
    championship = load(Path(settings.championship))
    redis = make_redis(settings)
    registry = CollectorRegistry()
    feeds = Feeds()
    stage = Stage(championship, feeds)
    hall = Hall(feeds, stage)
    presence = Presence(championship, settings.stream_replicas)
    broadcast = handlers.Broadcast(
        championship=championship,
        feeds=feeds,
        # The jury's view here is read-only; revocations are enforced by intake.
        verifier=Verifier(settings.secret),
        store=SnapshotStore(redis),
        channels=frozenset(
            [
                protocol.MEDALS_CHANNEL,
                protocol.TICKER_CHANNEL,
                *(protocol.standings_channel(s.id) for s in championship.skills),
                SCREENS_CHANNEL,
                CEREMONY_CHANNEL,
            ]
        ),
        connections=Gauge(
            "podium_broadcast_connections", "Open feed connections", registry=registry
        ),
        frames=Counter(
            "podium_broadcast_frames", "Snapshot frames offered to screens", registry=registry
        ),
        doorman=Doorman(settings),
        turned_away=Counter(
            "podium_broadcast_turned_away",
            "Feed connections refused or closed, by reason",
            ["reason"],
            registry=registry,
        ),
    )
    skills = [s.id for s in championship.skills]

    async def reload() -> None:
        """After NATS was away: whatever snapshots and crew commands were missed."""
        await broadcast.reload()
        await stage.reload(broadcast.store, skills)
        await hall.catch_up(broker.connection.jetstream())

    broker = make_broker(settings, "broadcast", reconnected=reload)

    @broker.subscriber(
        subjects.STANDINGS_ALL,
        title="broadcast:standings",
        description="Each skill's latest standings, fanned out to the screens subscribed to it.",
    )
    async def on_standings(snapshot: StandingsMessage) -> None:
        broadcast.receive(snapshot)
        stage.receive(snapshot)

    @broker.subscriber(
        subjects.MEDALS,
        title="broadcast:medals",
        description="The medal table, fanned out to the screens subscribed to it.",
    )
    async def on_medals(snapshot: MedalsMessage) -> None:
        broadcast.receive_medals(snapshot)
        stage.receive_medals(snapshot)

    @broker.subscriber(
        subjects.TICKER,
        title="broadcast:ticker",
        description="The most recent accepted marks, fanned out to the ticker's screens.",
    )
    async def on_ticker(snapshot: TickerMessage) -> None:
        broadcast.receive_ticker(snapshot)

    @broker.subscriber(
        subjects.CREW_ALL,
        # The log as every service declares it: broadcast may be the first to start.
        stream=commands_stream(settings),
        ordered_consumer=True,
        deliver_policy=DeliverPolicy.NEW,
        title="broadcast:crew",
        description="The venue crew's commands: what each named screen shows, the ceremony.",
    )
    async def on_crew(command: CrewMessage, message: NatsMessage) -> None:
        if isinstance(command, CrewCommand):
            hall.follow(message.raw_message.metadata.sequence.stream, command)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.broadcast = broadcast
        await broker.start()
        # After subscribing, so no snapshot or command falls between the load and the feed.
        await broadcast.reload()
        await stage.reload(broadcast.store, skills)
        js = broker.connection.jetstream()
        await hall.catch_up(js)
        await presence.open(js)
        beating = asyncio.create_task(presence.beat())
        yield
        beating.cancel()
        await presence.close()
        await close(broker, redis)

    async def probe() -> dict[str, bool]:
        return await reachable(broker, redis)

    # `WS /ws` (FEED_PATH) is no route: `BroadcastApp` sends it to the feed before Starlette.
    routes = [
        Route("/api/standings", handlers.all_standings, methods=["GET"]),
        Route("/api/standings/{skill}", handlers.skill_standings, methods=["GET"]),
        Route("/api/medals", handlers.medal_table, methods=["GET"]),
        *pages.routes(championship, settings),
        *health_routes(probe, registry),
    ]
    app = BroadcastApp(broadcast, presence, routes, lifespan)
    app.state.broker = broker
    return app
