"""Ranking's composition root: a durable JetStream consumer feeding the projection in Redis."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import itertools
import logging
import os
import signal
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from faststream import AckPolicy
from faststream.nats import NatsBroker, NatsMessage, PullSub
from nats.errors import Error as NatsError
from nats.js.api import ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError
from prometheus_client import CollectorRegistry, Counter
from starlette.applications import Starlette

from services.ranking.handlers import Ranking, StateLostError
from services.ranking.replay import replay
from services.ranking.store import RankingStore
from shared import subjects
from shared.championship import Championship, load
from shared.connections import close, commands_stream, make_broker, make_redis, reachable
from shared.documented import CommandMessage, MedalsMessage, StandingsMessage, TickerMessage
from shared.events import MedalsPublished, StandingsPublished, TickerPublished
from shared.settings import Settings
from shared.web import health_routes

log = logging.getLogger("podium.ranking")

# Ack wait: how long a message taken by a ranking that died stays invisible to its successor.
ACK_WAIT_S = 10.0
# How often ranking checks that its durable consumer still exists.
CONSUMER_CHECK_S = 2.0


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
    handled = itertools.count(1)
    published = Counter("podium_ranking_snapshots", "Snapshots published", registry=registry)
    stream = commands_stream(settings)

    # Declared for the AsyncAPI document (`make asyncapi`). The snapshots go out through
    # nats-py on the same connection, as the bytes already encoded for Redis: FastStream's
    # publish would encode each one again and run its middlewares on a mark's way to screens.
    broker.publisher(
        subjects.standings(subjects.SKILL_PARAMETER),
        title="ranking:standings",
        description="A skill's standings after a change; broadcast fans them out to screens.",
        schema=StandingsMessage,
    )
    broker.publisher(
        subjects.MEDALS,
        title="ranking:medals",
        description="The medal table after any skill changed; broadcast fans it out.",
        schema=MedalsMessage,
    )
    broker.publisher(
        subjects.TICKER,
        title="ranking:ticker",
        description="The most recent accepted marks, after any were applied.",
        schema=TickerMessage,
    )

    async def publish(
        snapshot: StandingsPublished | MedalsPublished | TickerPublished, data: bytes
    ) -> None:
        match snapshot:
            case StandingsPublished(standings=standings):
                subject = subjects.standings(standings.skill)
            case MedalsPublished():
                subject = subjects.MEDALS
            case TickerPublished():
                subject = subjects.TICKER
        await broker.connection.publish(subject, data)
        published.inc()

    ranking = Ranking(championship, store, publish)
    # Built once and kept: a replay at start moves where the new consumer begins.
    consumer = consumer_config(partition)

    @broker.subscriber(
        partition.filters[0] if len(partition.filters) == 1 else "",
        stream=stream,
        durable=partition.durable,
        config=consumer,
        pull_sub=PullSub(batch_size=1, timeout=5.0),
        ack_policy=AckPolicy.NACK_ON_ERROR,
        title="ranking:commands",
        description="Every accepted command, applied in order and exactly once.",
    )
    async def on_command(command: CommandMessage) -> None:
        # Read from the context rather than injected: FastDepends resolves an injected
        # context field in a worker thread, a thread hop on every command.
        message: NatsMessage = broker.context.get_local("message")
        metadata = message.raw_message.metadata
        try:
            await ranking.handle(command, metadata.sequence.stream, metadata.num_pending)
        except StateLostError:
            # Crash-only: the supervisor restarts ranking, which replays the log into Redis.
            log.error("projection lost; restarting to replay the log", exc_info=True)
            os.kill(os.getpid(), signal.SIGTERM)
            raise
        applied.inc()
        if settings.fault_die_after_apply and next(handled) >= settings.fault_die_after_apply:
            log.warning(
                "fault injected: dying between apply and ack",
                extra={"seq": metadata.sequence.stream},
            )
            os.kill(os.getpid(), signal.SIGKILL)

    @broker.subscriber(
        subjects.REBUILD,
        title="ranking:rebuild",
        description="`podium rebuild`: restart to replay the log into Redis with new epochs.",
    )
    async def on_rebuild() -> None:
        log.warning("rebuild requested; restarting to replay the log")
        os.kill(os.getpid(), signal.SIGTERM)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await broker.connect()
        await catch_up(broker, store, championship, partition, consumer)
        await store.remember_applied(list(partition.skills))
        await broker.start()
        ranking.touch(list(partition.skills))
        await ranking.flush()
        log.info("ranking ready", extra={"skills": partition.skills, "durable": partition.durable})
        watching = asyncio.create_task(watch_consumer(broker, partition))
        yield
        watching.cancel()
        await close(broker, redis)

    async def probe() -> dict[str, bool]:
        return await reachable(broker, redis)

    app = Starlette(routes=health_routes(probe, registry), lifespan=lifespan)
    app.state.broker = broker
    return app


async def watch_consumer(broker: NatsBroker, partition: Partition) -> None:
    """Crash-only when the durable consumer is gone (deleted by hand, or lost with a stream's
    state): the pull loop cannot go on without it, and a new start makes it again right after
    the last command Redis holds (`catch_up`)."""
    js = broker.connection.jetstream()
    while True:
        await asyncio.sleep(CONSUMER_CHECK_S)
        try:
            await js.consumer_info(subjects.COMMANDS_STREAM, partition.durable)
        except NotFoundError:
            log.error("consumer deleted; restarting to make it again")
            os.kill(os.getpid(), signal.SIGTERM)
            return
        except (NatsError, TimeoutError):
            continue  # NATS away: the link reconnects by itself, and the check comes again


async def catch_up(
    broker: NatsBroker,
    store: RankingStore,
    championship: Championship,
    partition: Partition,
    config: ConsumerConfig,
) -> None:
    """Replay the log into Redis when Redis lost state or is behind the log, before consuming.

    Lost: a skill without an epoch (a new or emptied Redis). Behind: the consumer acked a
    message that no skill's state includes (Redis restored from an older copy). Either way
    every skill of the partition starts a new epoch, the log is folded in, and the consumer
    starts again right after the last message replayed.
    """
    js = broker.connection.jetstream()
    epochs = [await store.epoch(skill) for skill in partition.skills]
    applied = max([await store.applied_seq(skill) for skill in partition.skills], default=0)
    try:
        info = await js.stream_info(subjects.COMMANDS_STREAM)
    except NotFoundError:
        # No log: nothing to replay. A Redis that applied commands belongs to a log that is
        # gone (NATS lost its store): its state must not pass for this log's.
        for skill, epoch in zip(partition.skills, epochs, strict=True):
            if epoch is None or applied:
                await store.start_epoch(skill)
        return
    # Redis ahead of the log (the log restored from an older backup, or lost its end):
    # commands stored from now on would reuse sequences Redis believes applied.
    ahead = applied > info.state.last_seq
    try:
        acked = (await js.consumer_info(subjects.COMMANDS_STREAM, partition.durable)).ack_floor
        behind = acked is not None and (acked.stream_seq or 0) > applied
    except NotFoundError:
        # A new consumer for a whole state: commands are applied in order, one at a time, so
        # every command up to the highest applied sequence is in Redis already.
        if all(epochs) and applied and not ahead:
            config.deliver_policy = DeliverPolicy.BY_START_SEQUENCE
            config.opt_start_seq = applied + 1
        behind = False
    if all(epochs) and not behind and not ahead:
        return
    log.warning(
        "rebuilding from the log",
        extra={"lost": epochs.count(None), "behind": behind, "ahead": ahead},
    )
    with contextlib.suppress(NotFoundError):
        await js.delete_consumer(subjects.COMMANDS_STREAM, partition.durable)
    for skill in partition.skills:
        await store.start_epoch(skill)
    last = await replay(js, store, championship, partition.skills, partition.filters)
    if last:
        config.deliver_policy = DeliverPolicy.BY_START_SEQUENCE
        config.opt_start_seq = last + 1
