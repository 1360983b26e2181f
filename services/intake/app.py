"""Intake's composition root: the experts' HTTP API in front of the event log."""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator
from pathlib import Path

import msgspec
from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from services.intake import handlers
from services.intake.adapters import EventLog
from shared.championship import load
from shared.connections import close, commands_stream, make_broker, make_redis, reachable
from shared.documented import CommandMessage
from shared.settings import Settings
from shared.web import health_routes


def build(settings: Settings) -> Starlette:
    championship = load(Path(settings.championship))
    # No buffering while NATS is away: a mark that cannot be stored now is refused at once
    # (503) instead of being sent minutes later behind the back of a client told to retry.
    broker = make_broker(settings, "intake", pending_size=0)
    redis = make_redis(settings)
    registry = CollectorRegistry()
    # Declares the commands stream at start, and documents it in the AsyncAPI document.
    broker.publisher(
        "podium.commands.{skill}",
        stream=commands_stream(settings),
        title="intake:commands",
        description="Every accepted command, stored once per id (Nats-Msg-Id) before the answer.",
        schema=CommandMessage,
    )
    intake = handlers.Intake(
        championship=championship,
        championship_json=msgspec.json.encode(championship),
        secret=settings.secret,
        events=EventLog(broker),
        outcomes=Counter(
            "podium_intake_commands",
            "Commands by outcome (accepted, duplicate, or the refusal's reason)",
            ["command", "outcome"],
            registry=registry,
        ),
    )
    latency = Histogram(
        "podium_intake_request_seconds",
        "Request latency by endpoint",
        ["endpoint"],
        registry=registry,
        buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
    )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.intake = intake
        await broker.start()
        yield
        await close(broker, redis)

    async def probe() -> dict[str, bool]:
        return await reachable(broker, redis)

    routes = [
        Route("/api/marks", handlers.post_mark, methods=["POST"]),
        Route("/api/championship", handlers.get_championship, methods=["GET"]),
        *health_routes(probe, registry),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.broker = broker
    app.add_middleware(Timed, histogram=latency)
    return app


class Timed:
    """Observes each request's latency under the name of the endpoint that served it."""

    def __init__(self, app: ASGIApp, histogram: Histogram) -> None:
        self.app = app
        self.histogram = histogram

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        try:
            await self.app(scope, receive, send)
        finally:
            endpoint = getattr(scope.get("endpoint"), "__name__", "unmatched")
            self.histogram.labels(endpoint=endpoint).observe(time.perf_counter() - started)
