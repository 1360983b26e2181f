"""The event log from the command line (export, backup, restore): connecting, reading it
whole, and what stops such a command."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import nats
from nats.aio.client import Client as NatsClient
from nats.errors import Error as NatsError
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from shared import subjects
from shared.plumbing.connections import nats_servers
from shared.plumbing.logstream import Take, read_log

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


async def read_commands(js: JetStreamContext, subject: str, take: Take, until: int = 0) -> None:
    """`shared.plumbing.logstream.read_log` for the command line: its problems as one clear line."""
    try:
        await read_log(js, [subject], take, until=until, silence_s=SILENCE_S)
    except NotFoundError as error:
        raise LogError(f"no event log {subjects.COMMANDS_STREAM} on this NATS") from error
    except TimeoutError as error:
        raise LogError(f"the event log sent nothing for {SILENCE_S:g} s") from error
