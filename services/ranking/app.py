"""Ranking's composition root: a durable JetStream consumer feeding the projection in Redis."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import signal
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from faststream import AckPolicy
from faststream.nats import NatsBroker, NatsMessage, PullSub
from nats.js.api import ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError
from prometheus_client import CollectorRegistry, Counter
from starlette.applications import Starlette

from services.ranking.handlers import Ranking, StateLostError
from services.ranking.store import RankingStore
from shared import subjects
from shared.championship import Championship, load
from shared.connections import close, commands_stream, make_broker, make_redis, reachable
from shared.documented import CommandMessage, MedalsMessage, StandingsMessage
from shared.events import MedalsPublished, StandingsPublished
from shared.settings import Settings
from shared.web import health_routes

log = logging.getLogger("podium.ranking")

# Ack wait: how long a message taken by a ranking that died stays invisible to its successor.
ACK_WAIT_S = 10.0


@dataclass(frozen=True)
class Partition:
    """The skills one ranking replica owns, and the durable consumer that feeds it."""

    skills: tuple[str, ...]
    durable: str
    filters: tuple[str, ...]

    @classmethod
    def of(cls, championship: Championship, settings: Settings) -> Partition:
        if not settings.ranking_skills:
            every = tuple(s.id for s in championship.skills)
            return cls(every, "ranking", (subjects.COMMANDS_ALL,))
        unknown = set(settings.ranking_skills) - set(championship.index.skills)
        if unknown:
            raise ValueError(f"PODIUM_RANKING_SKILLS names unknown skills: {sorted(unknown)}")
        owned = tuple(sorted(settings.ranking_skills))
        digest = hashlib.sha1(",".join(owned).encode()).hexdigest()[:10]
        return cls(owned, f"ranking-{digest}", tuple(subjects.commands(s) for s in owned))


def consumer_config(partition: Partition) -> ConsumerConfig:
    # One message in flight: the next is delivered only after this one is acked, so a
    # message that a crash left unacked is redelivered before anything after it, and the
    # per-skill "applied sequence" guard never skips a mark that was not applied.
    return ConsumerConfig(
        durable_name=partition.durable,
        deliver_policy=DeliverPolicy.ALL,
        ack_wait=ACK_WAIT_S,
        max_ack_pending=1,
        max_deliver=-1,
        filter_subjects=list(partition.filters) if len(partition.filters) > 1 else None,
    )


def build(settings: Settings) -> Starlette:
    championship = load(Path(settings.championship))
    partition = Partition.of(championship, settings)
    broker = make_broker(settings, "ranking")
    redis = make_redis(settings)
    store = RankingStore(redis)
    registry = CollectorRegistry()
    applied = Counter("podium_ranking_commands", "Commands handled", registry=registry)
    published = Counter("podium_ranking_snapshots", "Snapshots published", registry=registry)
    stream = commands_stream(settings)

    snapshots = broker.publisher(
        "podium.standings.{skill}",
        title="ranking:standings",
        description="A skill's standings after a change; broadcast fans them out to screens.",
        schema=StandingsMessage,
    )

    medal_tables = broker.publisher(
        subjects.MEDALS,
        title="ranking:medals",
        description="The medal table after any skill changed; broadcast fans it out.",
        schema=MedalsMessage,
    )

    async def publish(snapshot: StandingsPublished | MedalsPublished) -> None:
        match snapshot:
            case StandingsPublished(standings=standings):
                await snapshots.publish(snapshot, subject=subjects.standings(standings.skill))
            case MedalsPublished():
                await medal_tables.publish(snapshot)
        published.inc()

    ranking = Ranking(championship, store, publish)

    @broker.subscriber(
        partition.filters[0] if len(partition.filters) == 1 else "",
        stream=stream,
        durable=partition.durable,
        config=consumer_config(partition),
        pull_sub=PullSub(batch_size=1, timeout=5.0),
        ack_policy=AckPolicy.NACK_ON_ERROR,
        title="ranking:commands",
        description="Every accepted command, applied in order and exactly once.",
    )
    async def on_command(command: CommandMessage, message: NatsMessage) -> None:
        metadata = message.raw_message.metadata
        try:
            await ranking.handle(command, metadata.sequence.stream, metadata.num_pending)
        except StateLostError:
            # Crash-only: the supervisor restarts ranking, which replays the log into Redis.
            log.error("projection lost; restarting to replay the log", exc_info=True)
            os.kill(os.getpid(), signal.SIGTERM)
            raise
        applied.inc()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await broker.connect()
        await replay_lost_skills(broker, store, partition)
        await broker.start()
        ranking.touch(list(partition.skills))
        await ranking.flush()
        log.info("ranking ready", extra={"skills": partition.skills, "durable": partition.durable})
        yield
        await close(broker, redis)

    async def probe() -> dict[str, bool]:
        return await reachable(broker, redis)

    app = Starlette(routes=health_routes(probe, registry), lifespan=lifespan)
    app.state.broker = broker
    return app


async def replay_lost_skills(broker: NatsBroker, store: RankingStore, partition: Partition) -> None:
    """A skill without an epoch lost its state (new or emptied Redis): replay the log for it.

    Dropping the durable consumer makes it start again from the first message; skills whose
    state survived skip what they already applied.
    """
    lost = [skill for skill in partition.skills if await store.epoch(skill) is None]
    if not lost:
        return
    js = broker.connection.jetstream()
    with contextlib.suppress(NotFoundError):
        await js.delete_consumer(subjects.COMMANDS_STREAM, partition.durable)
        log.warning("consumer dropped to replay the log", extra={"durable": partition.durable})
    for skill in lost:
        epoch = await store.start_epoch(skill)
        log.warning("replaying the log for a skill", extra={"skill": skill, "epoch": epoch})
