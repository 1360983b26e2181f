"""Intake's composition root: the experts' HTTP API in front of the event log."""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator
from pathlib import Path

import msgspec
from faststream.nats import NatsMessage
from nats.js.api import DeliverPolicy
from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from services.intake import handlers, jury, openapi, pages, views
from services.intake.adapters import Controls, EventLog
from services.intake.http import Intake
from services.intake.projection import Projection
from services.intake.throttle import Throttled
from shared import subjects
from shared.championship import load
from shared.connections import close, commands_stream, make_broker, make_redis, reachable
from shared.documented import CommandMessage, ControlMessage
from shared.events import MarkRecorded
from shared.settings import Settings
from shared.web import health_routes, http_problem

ROUTES = [
    Route("/api/marks", handlers.post_mark, methods=["POST"]),
    Route("/api/marks/batch", handlers.post_batch, methods=["POST"]),
    Route("/api/skills/{skill}/locks", jury.lock, methods=["POST"]),
    Route("/api/skills/{skill}/locks/{criterion}", jury.unlock, methods=["DELETE"]),
    Route("/api/skills/{skill}/visibility", jury.visibility, methods=["PUT"]),
    Route("/api/skills/{skill}/reveal", jury.reveal, methods=["POST"]),
    Route("/api/audit", jury.audit, methods=["GET"]),
    Route("/api/me", views.me, methods=["GET"]),
    Route("/api/me/marks", views.my_marks, methods=["GET"]),
    Route("/api/skills/{skill}/board", views.jury_board, methods=["GET"]),
    Route("/api/championship", handlers.get_championship, methods=["GET"]),
    Route("/openapi.json", openapi.endpoint, methods=["GET"]),
]


def build(settings: Settings) -> Starlette:
    championship = load(Path(settings.championship))
    # No buffering while NATS is away: a mark that cannot be stored now is refused at once
    # (503) instead of being sent minutes later behind the back of a client told to retry.
    broker = make_broker(settings, "intake", pending_size=0)
    redis = make_redis(settings)
    registry = CollectorRegistry()
    stream = commands_stream(settings)
    # Declares the commands stream at start, and documents it in the AsyncAPI document.
    broker.publisher(
        subjects.commands(subjects.SKILL_PARAMETER),
        stream=stream,
        title="intake:commands",
        description="Every accepted command, stored once per id before the answer.",
        schema=CommandMessage,
    )
    controls = Controls()
    events = EventLog(broker)
    intake = Intake(
        championship=championship,
        championship_json=msgspec.json.encode(championship),
        secret=settings.secret,
        events=events,
        controls=controls,
        outcomes=Counter(
            "podium_intake_commands",
            "Commands by outcome (accepted, duplicate, or the refusal's reason)",
            ["command", "outcome"],
            registry=registry,
        ),
        projection=Projection(redis),
    )

    @broker.subscriber(
        subjects.CONTROLS_ALL,
        stream=stream,
        ordered_consumer=True,
        deliver_policy=DeliverPolicy.NEW,
        title="intake:controls",
        description="Jury commands stored by any intake, so every intake refuses locked marks.",
    )
    async def on_control(command: ControlMessage, message: NatsMessage) -> None:
        if not isinstance(command, MarkRecorded):
            controls.apply(message.raw_message.metadata.sequence.stream, command)

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
        # After subscribing, so no jury command falls between the reading and the following.
        await controls.catch_up(events, [s.id for s in championship.skills])
        yield
        await close(broker, redis)

    async def probe() -> dict[str, bool]:
        return await reachable(broker, redis)

    app = Starlette(
        routes=[*ROUTES, *pages.routes(championship), *health_routes(probe, registry)],
        lifespan=lifespan,
        exception_handlers={HTTPException: http_problem},
    )
    app.add_middleware(Timed, histogram=latency)
    throttled = Counter(
        "podium_intake_throttled", "Requests refused with 429, by limit", ["per"], registry=registry
    )
    app.add_middleware(Throttled, settings=settings, refused=throttled)
    app.state.broker = broker
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
