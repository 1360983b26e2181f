"""Ranking's input: the skills a replica owns, the durable consumer that feeds it the log, and
what each message from it does."""

from __future__ import annotations

import hashlib
import itertools
import logging
import os
import signal
from dataclasses import dataclass

from faststream import AckPolicy
from faststream.nats import JStream, NatsBroker, NatsMessage, PullSub
from nats.js.api import ConsumerConfig, DeliverPolicy
from prometheus_client import Counter

from services.ranking.handlers import Ranking, StateLostError
from shared import subjects
from shared.asyncapi_types import CommandMessage
from shared.championship import Championship
from shared.plumbing.settings import Settings, env_name

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
            named = env_name("ranking_skills")
            raise ValueError(f"{named} names unknown skills: {sorted(unknown)}")
        owned = tuple(sorted(settings.ranking_skills))
        digest = hashlib.sha1(",".join(owned).encode()).hexdigest()[:10]
        return cls(owned, f"ranking-{digest}", tuple(subjects.commands(s) for s in owned))


def consumer_config(partition: Partition, start: int | None = None) -> ConsumerConfig:
    """The durable consumer, from the log's first command or from sequence `start`.

    One message in flight: the next is delivered only after this one is acked, so a message
    that a crash left unacked is redelivered before anything after it, and the per-skill
    "applied sequence" guard never skips a mark that was not applied.
    """
    single = len(partition.filters) == 1
    return ConsumerConfig(
        durable_name=partition.durable,
        deliver_policy=DeliverPolicy.ALL if start is None else DeliverPolicy.BY_START_SEQUENCE,
        opt_start_seq=start,
        ack_wait=ACK_WAIT_S,
        max_ack_pending=1,
        max_deliver=-1,
        filter_subject=partition.filters[0] if single else None,
        filter_subjects=None if single else list(partition.filters),
    )


def subscribe(
    broker: NatsBroker,
    stream: JStream,
    partition: Partition,
    ranking: Ranking,
    settings: Settings,
    applied: Counter,
) -> None:
    """The log's commands into `ranking`, and `podium rebuild`'s request."""
    handled = itertools.count(1)

    @broker.subscriber(
        partition.filters[0] if len(partition.filters) == 1 else "",
        stream=stream,
        durable=partition.durable,
        # Recovery makes the durable consumer where it must start; this is the one it finds.
        config=consumer_config(partition),
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
