"""Where ranking starts: the projection in Redis checked against the log, rebuilt from it when
lost, behind or ahead, and the durable consumer made to start right after what Redis holds.

Crash-only: anything that breaks this while ranking runs (the consumer deleted, the state
gone) ends the process, and the next start comes through here again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal

from nats.errors import Error as NatsError
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from services.ranking.consumer import Partition, consumer_config
from services.ranking.replay import replay
from services.ranking.store import RankingStore
from shared import subjects
from shared.championship import Championship

log = logging.getLogger("podium.ranking")

# How often ranking checks that its durable consumer still exists.
CONSUMER_CHECK_S = 2.0


async def recover(
    js: JetStreamContext, store: RankingStore, championship: Championship, partition: Partition
) -> None:
    """Bring Redis level with the log and make the consumer start where Redis leaves off;
    before consuming."""
    start = await catch_up(js, store, championship, partition)
    if start is not None:
        await js.add_consumer(subjects.COMMANDS_STREAM, consumer_config(partition, start))
    await store.remember_applied(list(partition.skills))


async def catch_up(
    js: JetStreamContext, store: RankingStore, championship: Championship, partition: Partition
) -> int | None:
    """Replay the log into Redis when Redis lost state or is behind the log; returns the
    sequence a new consumer starts at, or None where the consumer goes on as it is (or, new,
    starts at the log's beginning).

    Lost: a skill without an epoch (a new or emptied Redis). Behind: the consumer acked a
    message that no skill's state includes (Redis restored from an older copy). Ahead: Redis
    applied sequences the log does not hold (the log restored from an older backup, or lost
    its end). Then every skill of the partition starts a new epoch, the log is folded in, and
    the consumer starts again right after the last message replayed.
    """
    epochs = [await store.epoch(skill) for skill in partition.skills]
    applied = max([await store.applied_seq(skill) for skill in partition.skills], default=0)
    # Only a consumer of the whole log gets the crew's commands, which no skill records.
    whole_log = subjects.COMMANDS_ALL in partition.filters
    if whole_log:
        applied = max(applied, await store.passed())
    try:
        info = await js.stream_info(subjects.COMMANDS_STREAM)
    except NotFoundError:
        # No log: nothing to replay. A Redis that applied commands belongs to a log that is
        # gone (NATS lost its store): its state must not pass for this log's.
        for skill, epoch in zip(partition.skills, epochs, strict=True):
            if epoch is None or applied:
                await store.start_epoch(skill)
        if whole_log:
            await store.forget_passed()
        return None
    ahead = applied > info.state.last_seq
    start = None
    try:
        acked = (await js.consumer_info(subjects.COMMANDS_STREAM, partition.durable)).ack_floor
        behind = acked is not None and (acked.stream_seq or 0) > applied
    except NotFoundError:
        # A new consumer for a whole state: commands are applied in order, one at a time, so
        # every command up to the highest applied sequence is in Redis already.
        if all(epochs) and applied and not ahead:
            start = applied + 1
        behind = False
    if all(epochs) and not behind and not ahead:
        return start
    log.warning(
        "rebuilding from the log",
        extra={"lost": epochs.count(None), "behind": behind, "ahead": ahead},
    )
    with contextlib.suppress(NotFoundError):
        await js.delete_consumer(subjects.COMMANDS_STREAM, partition.durable)
    return await rebuild(js, store, championship, partition, whole_log)


async def rebuild(
    js: JetStreamContext,
    store: RankingStore,
    championship: Championship,
    partition: Partition,
    whole_log: bool,
) -> int | None:
    """Every skill of the partition in a new epoch, the log folded in; returns the sequence
    the consumer starts at, right after the last message replayed."""
    for skill in partition.skills:
        await store.start_epoch(skill)
    if whole_log:
        await store.forget_passed()
    last = await replay(js, store, championship, partition.skills, partition.filters)
    if last and whole_log:
        # The last command replayed may be the crew's, which no skill's `applied` shows.
        await store.pass_over(last)
    return last + 1 if last else None


async def watch_consumer(js: JetStreamContext, partition: Partition) -> None:
    """Crash-only when the durable consumer is gone (deleted by hand, or lost with a stream's
    state): the pull loop cannot go on without it, and a new start makes it again right after
    the last command Redis holds (`catch_up`)."""
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
