"""Reading the event log from the command line (export, backup): the whole stream, in order.

An ordered push consumer streams the log at full speed, and its callback only queues each
message: nats-py's fetch and iterator cost a task per message, three times slower over
100,000 commands.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import nats
from nats.aio.client import Client as NatsClient
from nats.aio.msg import Msg
from nats.errors import Error as NatsError
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError

from shared import subjects
from shared.connections import nats_servers

# Silence from the event log while commands are still pending means it went away.
SILENCE_S = 5.0


class LogError(Exception):
    """The event log cannot be read or written as asked; the command line prints it, exits 2."""


@contextlib.asynccontextmanager
async def connected(nats_url: str) -> AsyncIterator[NatsClient]:
    try:
        # Someone waits at the command line: one retry, then one clear line rather than
        # nats-py's traceback for every attempt.
        client = await nats.connect(
            nats_servers(nats_url),
            allow_reconnect=False,
            connect_timeout=5,
            max_reconnect_attempts=1,
            reconnect_time_wait=0.5,
            error_cb=_ignored,
        )
    except (NatsError, OSError) as error:
        raise LogError(f"cannot reach NATS: {error or type(error).__name__}") from error
    try:
        yield client
    finally:
        await client.close()


async def _ignored(error: Exception) -> None:
    pass


async def logged_messages(js: JetStreamContext, subject: str) -> AsyncIterator[Msg]:
    """Every message on `subject` (wildcards allowed), oldest first, as the log holds it.

    It ends at the first message with nothing pending after it.
    """
    arrived: asyncio.Queue[Msg] = asyncio.Queue()

    async def take(message: Msg) -> None:
        arrived.put_nowait(message)

    config = ConsumerConfig(deliver_policy=DeliverPolicy.ALL, mem_storage=True)
    try:
        reader = await js.subscribe(
            subject,
            stream=subjects.COMMANDS_STREAM,
            cb=take,
            ordered_consumer=True,
            config=config,
        )
    except NotFoundError as error:
        raise LogError(f"no event log {subjects.COMMANDS_STREAM} on this NATS") from error
    try:
        info = await reader.consumer_info()
        # Messages may be delivered before the answer, leaving nothing pending: only a
        # subject without any command has nothing to wait for.
        delivered = info.delivered.consumer_seq if info.delivered else 0
        more = bool(delivered or info.num_pending)
        while more:
            message = await _next(arrived)
            more = message.metadata.num_pending > 0
            yield message
    finally:
        await reader.unsubscribe()


async def _next(arrived: asyncio.Queue[Msg]) -> Msg:
    # A timeout costs a task, so it is set only when the log keeps us waiting.
    if not arrived.empty():
        return arrived.get_nowait()
    try:
        return await asyncio.wait_for(arrived.get(), SILENCE_S)
    except TimeoutError as error:
        raise LogError(f"the event log sent nothing for {SILENCE_S:g} s") from error
