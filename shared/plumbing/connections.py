"""How every service talks to NATS and Redis: one place for the options that keep links alive."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import redis.asyncio as aioredis
from fast_depends.msgspec import MsgSpecSerializer
from faststream.nats import JStream, NatsBroker
from faststream.nats.subscriber.usecases import LogicSubscriber
from nats.errors import Error as NatsError
from nats.js import JetStreamContext
from nats.js.api import DeliverPolicy, DiscardPolicy, RetentionPolicy, StorageType
from nats.js.errors import NotFoundError
from redis.exceptions import RedisError

from shared import subjects
from shared.plumbing.settings import Settings

T = TypeVar("T")

log = logging.getLogger("podium")

# A service reads the log as it starts. In a cluster's first seconds the log may answer
# nothing (its replicas electing a leader, a request lost while they do): the service waits
# this long, asking again, before it gives up and exits for its supervisor to start it again.
LOG_AT_START_S = 60.0
LOG_AGAIN_S = 0.5


def make_broker(
    settings: Settings,
    service: str,
    reconnected: Callable[[], Awaitable[None]] | None = None,
    pending_size: int = 2 * 1024 * 1024,
) -> NatsBroker:
    # nats-py's defaults give up after about 2 minutes of reconnecting and notice a dead link
    # only after minutes; a venue's network can be down longer, and screens must know soon.
    return NatsBroker(
        nats_servers(settings.nats_url),
        name=f"podium-{service}",
        serializer=MsgSpecSerializer(),
        max_reconnect_attempts=-1,
        reconnect_time_wait=1,
        ping_interval=5,
        max_outstanding_pings=2,
        connect_timeout=5,
        apply_types=True,
        reconnected_cb=reconnected,
        pending_size=pending_size,
        # FastStream's per-message lines go to DEBUG; podium logs what matters as JSON.
        logger=logging.getLogger("podium.faststream"),
        log_level=logging.DEBUG,
    )


def nats_servers(url: str) -> list[str]:
    """`PODIUM_NATS_URL` may list a cluster's nodes, comma-separated; nats-py wants a list.

    Any one reachable node is enough to connect; the client then learns the others from the
    cluster and fails over to them.
    """
    return [server.strip() for server in url.split(",") if server.strip()]


def commands_stream(settings: Settings) -> JStream:
    """The event log: every accepted command, kept for good (the only source of truth)."""
    stream = JStream(
        name=subjects.COMMANDS_STREAM,
        description="Every accepted command of the championship, in order",
        subjects=[subjects.COMMANDS_ALL],
        retention=RetentionPolicy.LIMITS,
        storage=StorageType.FILE,
        discard=DiscardPolicy.NEW,
        num_replicas=settings.stream_replicas,
        duplicate_window=settings.dedup_window_s,
    )
    # Intake stores marks posted together as one atomic batch: one fsync for all of them
    # (services/intake/marks/grouping.py). An existing stream is updated to allow it at the start.
    stream.config.allow_atomic = True
    return stream


def make_redis(settings: Settings) -> aioredis.Redis:
    return aioredis.from_url(
        settings.redis_url,
        socket_connect_timeout=2,
        socket_timeout=5,
        health_check_interval=10,
        retry_on_timeout=True,
    )


async def reachable(broker: NatsBroker, redis: aioredis.Redis) -> dict[str, bool]:
    """Readiness: whether NATS and Redis answer right now."""
    try:
        redis_ok = bool(await asyncio.wait_for(redis.ping(), timeout=1.0))
    except (RedisError, OSError, TimeoutError):
        redis_ok = False
    try:
        nats_ok = broker.connection.is_connected
    except (AttributeError, RuntimeError):  # not connected yet
        nats_ok = False
    return {"nats": nats_ok, "redis": redis_ok}


async def close(broker: NatsBroker, redis: aioredis.Redis) -> None:
    """Let go of both links at shutdown, even if NATS is away at that moment."""
    try:
        await broker.stop()
    except NatsError as error:
        log.warning("NATS link closed uncleanly", extra={"error": str(error)})
    await redis.aclose()


def log_follower(
    broker: NatsBroker, subject: str, stream: JStream, title: str, description: str
) -> LogicSubscriber[Any]:
    """The subscription of a service that follows commands on `subject` as any intake stores
    them: an ordered consumer from now on, with no state on the server; the service reads what
    came before once it is subscribed, so nothing falls between the two."""
    return broker.subscriber(
        subject,
        stream=stream,
        ordered_consumer=True,
        deliver_policy=DeliverPolicy.NEW,
        title=title,
        description=description,
    )


async def patiently(
    read: Callable[[], Awaitable[T]],
    what: str,
    unavailable: tuple[type[Exception], ...] = (NatsError, TimeoutError, OSError),
    within_s: float = LOG_AT_START_S,
) -> T:
    """`read` (a reading of the log at start, safe to repeat) asked again while the log does
    not answer, for up to `within_s`; the last failure is raised after that."""
    deadline = asyncio.get_running_loop().time() + within_s
    while True:
        try:
            return await read()
        except unavailable as error:
            if isinstance(error, NotFoundError) or asyncio.get_running_loop().time() > deadline:
                raise
            log.warning(
                "the log did not answer; asking again",
                extra={"reading": what, "error": repr(error)},
            )
        await asyncio.sleep(LOG_AGAIN_S)


async def log_answers(js: JetStreamContext) -> None:
    """Return once the event log answers (or is known not to exist yet), waiting as
    `patiently` does: for the start-up readings that are not safe to repeat."""

    async def info() -> None:
        try:
            await js.stream_info(subjects.COMMANDS_STREAM)
        except NotFoundError:
            return

    await patiently(info, "the log's state")
