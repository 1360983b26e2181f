"""Reading the event log from its start, in order, at full speed: ranking's replay, and the
command line's export and backup.

An ordered push consumer streams the log as fast as the server sends, and a callback takes
each message as it arrives: nats-py's fetch, next_msg and iterator cost a task per message,
three times slower over 100,000 commands.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, DeliverPolicy

from shared import subjects

# Take is handed each message with its stream sequence and how many messages follow it.
Take = Callable[[Msg, int, int], None]


def position(reply: str) -> tuple[int, int]:
    """Stream sequence and messages still pending, read off a JetStream reply subject.

    `$JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>.<consumer seq>.<time>.<pending>`;
    newer servers put a domain and an account hash after ACK and a token at the end. This
    is what nats-py's `metadata` parses too, without building its objects per message.
    """
    tokens = reply.split(".")
    if len(tokens) == 9:
        return int(tokens[5]), int(tokens[8])
    return int(tokens[7]), int(tokens[10])


async def read_log(
    js: JetStreamContext,
    filters: Sequence[str],
    take: Take,
    *,
    until: int = 0,
    silence_s: float | None = None,
) -> int:
    """Hand every command on `filters` (wildcards allowed) to `take`, oldest first, until
    the log's end as it is when reached, or past sequence `until` (0: no such bound).

    Returns how many were taken. Raises nats' NotFoundError when there is no log, and
    TimeoutError when the log sends nothing for `silence_s` while commands are pending.
    """
    done = asyncio.Event()
    taken = 0

    async def arrived(message: Msg) -> None:
        nonlocal taken
        seq, pending = position(message.reply)
        if done.is_set():
            return  # after `until`: the next reading's
        taken += 1
        take(message, seq, pending)
        if pending == 0 or (until and seq >= until):
            done.set()

    reader = await js.subscribe(
        "",
        stream=subjects.COMMANDS_STREAM,
        cb=arrived,
        ordered_consumer=True,
        config=ConsumerConfig(
            deliver_policy=DeliverPolicy.ALL, filter_subjects=list(filters), mem_storage=True
        ),
        pending_msgs_limit=200_000,
        pending_bytes_limit=512 * 1024 * 1024,
    )
    try:
        info = await reader.consumer_info()
        # Nothing pending and nothing delivered: there is nothing on the filters. Otherwise
        # the last message says so itself (pending 0), even if it came before this answer.
        if info.num_pending or (info.delivered and info.delivered.consumer_seq):
            await _until_done(done, lambda: taken, silence_s)
    finally:
        await reader.unsubscribe()
    return taken


async def _until_done(
    done: asyncio.Event, taken: Callable[[], int], silence_s: float | None
) -> None:
    """Wait for the end; with `silence_s`, give up once a whole such wait brought nothing."""
    if silence_s is None:
        await done.wait()
        return
    before = taken()
    while not done.is_set():
        try:
            await asyncio.wait_for(done.wait(), silence_s)
        except TimeoutError:
            if taken() == before:
                raise
        before = taken()
