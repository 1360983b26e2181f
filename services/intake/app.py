"""Intake's composition root: the experts' HTTP API in front of the event log."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import msgspec
from nats.js import JetStreamContext
from prometheus_client import CollectorRegistry
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.routing import Route

from services.intake import openapi, pages
from services.intake.adapters import Controls, EventLog, LogUnavailableError, SignIns
from services.intake.crew import ceremony, screens
from services.intake.crew import pages as crew_pages
from services.intake.crew.desk import Desk
from services.intake.http import Intake
from services.intake.jury import audit, forms, locks, printing, signins, statuses
from services.intake.jury import commands as jury
from services.intake.marks import handlers
from services.intake.marks.fast_routes import FastRoutes
from services.intake.metrics import Metrics, Timed
from services.intake.projection import Projection, ProjectionUnavailableError
from services.intake.reads import judges, roster, views
from services.intake.sessions import Sessions
from services.intake.signing import SignedForms
from services.intake.throttle import Throttled
from shared import crew
from shared.championship import load
from shared.plumbing.connections import (
    close,
    commands_stream,
    make_broker,
    make_redis,
    patiently,
    reachable,
)
from shared.plumbing.settings import Settings
from shared.plumbing.tokens import Verifier
from shared.plumbing.web import health_routes, http_problem
from shared.public.view import public_championship

ROUTES = [
    Route("/api/marks", handlers.post_mark, methods=["POST"]),
    Route("/api/marks/batch", handlers.post_batch, methods=["POST"]),
    Route("/api/skills/{skill}/locks", locks.lock, methods=["POST"]),
    Route("/api/skills/{skill}/locks/{criterion}", locks.unlock, methods=["DELETE"]),
    Route("/api/skills/{skill}/visibility", jury.visibility, methods=["PUT"]),
    Route("/api/skills/{skill}/reveal", jury.reveal, methods=["POST"]),
    Route("/api/skills/{skill}/forms", forms.listing, methods=["GET"]),
    Route("/api/skills/{skill}/forms/{form}", forms.one, methods=["GET"]),
    Route("/api/skills/{skill}/forms/{form}/signoff", forms.signoff, methods=["POST"]),
    Route("/api/skills/{skill}/forms/{form}/reopen", forms.reopen, methods=["POST"]),
    Route("/api/skills/{skill}/forms/{form}/print", printing.printed, methods=["GET"]),
    Route("/api/competitors/{competitor}/status", statuses.competitor_status, methods=["PUT"]),
    Route("/api/audit", audit.audit, methods=["GET"]),
    Route("/api/revocations", signins.revoke, methods=["POST"]),
    Route("/api/sessions", signins.sessions, methods=["GET"]),
    Route("/api/me", views.me, methods=["GET"]),
    Route("/api/me/marks", views.my_marks, methods=["GET"]),
    Route("/api/competitors", roster.competitors, methods=["GET"]),
    Route("/api/skills/{skill}/board", views.jury_board, methods=["GET"]),
    Route("/api/skills/{skill}/judges", judges.skill_judges, methods=["GET"]),
    Route("/api/championship", handlers.get_championship, methods=["GET"]),
    Route("/api/screens", screens.listing, methods=["GET"]),
    Route("/api/screens/{name}", screens.assign, methods=["PUT"]),
    Route("/api/ceremony", ceremony.where, methods=["GET"]),
    Route("/api/ceremony", ceremony.put_script, methods=["PUT"]),
    Route("/api/ceremony/next", ceremony.step_next, methods=["POST"]),
    Route("/api/ceremony/back", ceremony.step_back, methods=["POST"]),
    Route("/openapi.json", openapi.endpoint, methods=["GET"]),
]
# The marks, straight to their handlers past the router (`marks/fast_routes.py`);
# their routes stay above for the OpenAPI document and the 405s.
FAST_ROUTES = {
    ("POST", "/api/marks"): handlers.post_mark,
    ("POST", "/api/marks/batch"): handlers.post_batch,
}


def build(settings: Settings) -> Starlette:
    championship = load(Path(settings.championship))
    # No buffering while NATS is away: a mark that cannot be stored now is refused at once
    # (503) instead of being sent minutes later behind the back of a client told to retry.
    broker = make_broker(settings, "intake", pending_size=0)
    redis = make_redis(settings)
    measured = Metrics(CollectorRegistry())
    events = EventLog(broker, commands_stream(settings))
    revoked, public = SignIns(), public_championship(championship)
    intake = Intake(
        championship=championship,
        public=public,
        championship_json=msgspec.json.encode(public),  # `GET /api/championship`
        verifier=Verifier(settings.secret, revoked.revoked_at),
        events=events,
        controls=Controls(),
        outcomes=measured.outcomes,
        projection=Projection(redis),
        signins=revoked,
        sessions=Sessions(redis),
        forms=SignedForms(championship),
    )
    events.follow_controls(intake.controls)
    events.follow_revocations(revoked)
    desk = Desk(broker)
    events.follow_crew(desk.crew)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.intake = intake
        app.state.desk = desk
        await broker.start()
        # After subscribing, so no jury command falls between the reading and the following.
        await read_the_log(intake, desk, broker.connection.jetstream())
        writing = asyncio.create_task(intake.sessions.run())
        yield
        await stop_writing(writing, intake)
        await intake.forms.stop()
        await close(broker, redis)

    async def probe() -> dict[str, bool]:
        return await reachable(broker, redis)

    app = Starlette(
        routes=[
            *ROUTES,
            *pages.routes(championship),
            *crew_pages.routes(championship, settings),
            *health_routes(probe, measured.registry),
        ],
        lifespan=lifespan,
        exception_handlers={HTTPException: http_problem},
    )
    layer(app, settings, measured)
    app.state.broker = broker
    return app


async def read_the_log(intake: Intake, desk: Desk, js: JetStreamContext) -> None:
    """What intake refuses by and answers with, as the log has it: every skill's controls,
    the revoked sign-ins, the crew's commands and the forms. Each reading may be asked again
    while a new cluster's log elects its leader."""
    skills, down = [s.id for s in intake.championship.skills], (LogUnavailableError,)
    await patiently(lambda: intake.controls.catch_up(intake.events, skills), "controls", down)
    await patiently(lambda: intake.signins.catch_up(intake.events), "revocations", down)
    await patiently(lambda: crew.catch_up(js, desk.crew), "crew commands")
    await patiently(lambda: intake.forms.follow(js), "forms")


async def stop_writing(writing: asyncio.Task[None], intake: Intake) -> None:
    """The sessions' writer stopped, and what it has not written yet flushed."""
    writing.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await writing
    with contextlib.suppress(ProjectionUnavailableError):
        await intake.sessions.flush()


def layer(app: Starlette, settings: Settings, measured: Metrics) -> None:
    """What every request passes, outermost first: the rate limits, the latency metric, and
    (innermost) the marks' fast routes past the router."""
    app.add_middleware(FastRoutes, routes=FAST_ROUTES)
    app.add_middleware(Timed, histogram=measured.latency)
    app.add_middleware(Throttled, settings=settings, refused=measured.throttled)
