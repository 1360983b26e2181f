"""Ranking's composition root: a durable JetStream consumer feeding the projection in Redis."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

from prometheus_client import CollectorRegistry, Counter
from starlette.applications import Starlette

from services.ranking import consumer, recovery, signing
from services.ranking.handlers import Ranking
from services.ranking.publisher import Publisher
from services.ranking.store import RankingStore
from shared import subjects
from shared.championship import load
from shared.plumbing.connections import (
    close,
    commands_stream,
    log_answers,
    make_broker,
    make_redis,
    patiently,
    reachable,
)
from shared.plumbing.settings import Settings
from shared.plumbing.web import health_routes
from shared.signoff.fold import Forms

log = logging.getLogger("podium.ranking")


def build(settings: Settings) -> Starlette:
    championship = load(Path(settings.championship))
    partition = consumer.Partition.of(championship, settings)
    broker = make_broker(settings, "ranking")
    redis = make_redis(settings)
    store = RankingStore(redis)
    registry = CollectorRegistry()
    published = Counter("podium_ranking_snapshots", "Snapshots published", registry=registry)
    ranking = Ranking(championship, store, Publisher(broker, published))
    # A partition's skills only: another replica counts the others' forms.
    ranking.forms = Forms(tuple(championship.index.skills[s] for s in partition.skills))
    applied = Counter("podium_ranking_commands", "Commands handled", registry=registry)
    stream = commands_stream(settings)
    consumer.subscribe(broker, stream, partition, ranking, settings, applied)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await broker.connect()
        js = broker.connection.jetstream()
        # Recovery may rebuild Redis; it starts once the log answers, not to be repeated.
        await log_answers(js)
        await recovery.recover(js, store, championship, partition)
        whole_log = subjects.COMMANDS_ALL in partition.filters
        await patiently(lambda: signing.load(js, ranking.forms, whole_log), "forms")
        await broker.start()
        ranking.touch(list(partition.skills))
        await ranking.flush()
        log.info("ranking ready", extra={"skills": partition.skills, "durable": partition.durable})
        watching = asyncio.create_task(recovery.watch_consumer(js, partition))
        yield
        watching.cancel()
        await close(broker, redis)

    async def probe() -> dict[str, bool]:
        return await reachable(broker, redis)

    app = Starlette(routes=health_routes(probe, registry), lifespan=lifespan)
    app.state.broker = broker
    return app
