"""Marks posted at the same moment, stored in the log together: one atomic batch, one fsync.

JetStream writes every command to disk before it acknowledges it (`sync_interval: always`).
An atomic batch (ADR-50; `allow_atomic` on the stream) is stored and acknowledged as a whole,
with one fsync for all its messages. The commit takes about as long whatever the batch's size,
and batches committed side by side are slower than one after the other
(docs/performance-fanout.md, "Intake and the log's ceiling", has the figures).

So intake commits one batch at a time: marks that arrive while a commit is on its way wait
for it, then go together in the next. A mark that arrives while nothing is being stored goes
at once, on its own, exactly as before. Each mark keeps what its answer promises:

- 201 only once JetStream acknowledged the batch that holds it (all of it stored, or none);
- its own sequence: a batch is stored in one contiguous run, the i-th of n at last - n + i;
- dedup by id: each message keeps its `Nats-Msg-Id` and `Nats-Expected-Last-Subject-Sequence:
  0` on its own subject. JetStream refuses the whole batch when one of them fails (an id
  already stored, the same id twice in the batch): nothing of it is stored, and each of its
  marks is then published on its own, which gives each its own answer (stored, duplicate).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections.abc import Awaitable, Callable

import msgspec
from nats.aio.client import Client as Nats
from nats.errors import Error as NatsError

log = logging.getLogger("podium.intake")

# One publish of one command: (subject, payload, headers) -> (seq, duplicate).
PublishOne = Callable[[str, bytes, dict[str, str]], Awaitable[tuple[int, bool]]]

# JetStream takes up to 1,000 messages a batch; a group beyond this waits for the next commit.
MAX_BATCH = 250
BATCH_ID = "Nats-Batch-Id"
BATCH_SEQUENCE = "Nats-Batch-Sequence"
BATCH_COMMIT = "Nats-Batch-Commit"
MSG_ID = "Nats-Msg-Id"
# The stream does not allow atomic batches (an older stream, not updated): publish one by one.
ATOMIC_PUBLISH_DISABLED = 10174


class ApiError(msgspec.Struct, frozen=True):
    code: int = 0
    err_code: int = 0
    description: str = ""


class BatchAck(msgspec.Struct, frozen=True):
    """JetStream's answer to a batch's commit: the last message's sequence and the count."""

    stream: str = ""
    seq: int = 0
    batch: str = ""
    count: int = 0
    error: ApiError | None = None


batch_ack_decoder = msgspec.json.Decoder(BatchAck)


class BatchUnavailableError(Exception):
    """The commit got no answer: whether the batch was stored is not known."""


class Waiting:
    """One command waiting for its commit, and the future its request awaits."""

    __slots__ = ("headers", "payload", "stored", "subject")

    def __init__(self, subject: str, payload: bytes, headers: dict[str, str]) -> None:
        self.subject = subject
        self.payload = payload
        self.headers = headers
        self.stored: asyncio.Future[tuple[int, bool]] = asyncio.get_running_loop().create_future()

    def settle(self, result: tuple[int, bool] | None, error: BaseException | None = None) -> None:
        """Answer the waiting request, unless it went away (its client hung up)."""
        if self.stored.done():
            return
        if error is not None:
            self.stored.set_exception(error)
        elif result is not None:
            self.stored.set_result(result)


class Grouped:
    """Stores marks through one committer: alone when it is idle, in batches when it is busy."""

    def __init__(
        self, connection: Callable[[], Nats], publish_one: PublishOne, timeout: float
    ) -> None:
        self.connection = connection
        self.publish_one = publish_one
        self.timeout = timeout
        self.waiting: list[Waiting] = []
        self.committing: asyncio.Task[None] | None = None
        # Off for good once the stream says it takes no atomic batches.
        self.batches = True

    async def store(
        self, subject: str, payload: bytes, headers: dict[str, str]
    ) -> tuple[int, bool]:
        """Store one command; raises what `publish_one` raises (and `BatchUnavailableError`)."""
        waiting = Waiting(subject, payload, headers)
        self.waiting.append(waiting)
        if self.committing is None:
            self.committing = asyncio.create_task(self.commit_all())
        return await waiting.stored

    async def commit_all(self) -> None:
        """Commit what waits, one group after another, until nothing waits."""
        try:
            while self.waiting:
                group, self.waiting = self.waiting[:MAX_BATCH], self.waiting[MAX_BATCH:]
                try:
                    await self.commit(group)
                except BaseException as error:
                    for waiting in group:
                        waiting.settle(None, error)
                    raise
        finally:
            self.committing = None
            stopped = BatchUnavailableError("intake is stopping")
            for waiting in self.waiting:
                waiting.settle(None, stopped)
            self.waiting = []

    async def commit(self, group: list[Waiting]) -> None:
        if len(group) == 1 or not self.batches:
            await asyncio.gather(*(self.alone(waiting) for waiting in group))
            return
        started = time.perf_counter()
        try:
            ack = await self.batch(group)
        except (TimeoutError, NatsError, OSError) as error:
            unknown = BatchUnavailableError(str(error) or type(error).__name__)
            for waiting in group:
                waiting.settle(None, unknown)
            return
        if ack.error is None and ack.count == len(group):
            first = ack.seq - ack.count + 1
            for n, waiting in enumerate(group):
                waiting.settle((first + n, False))
            stored(group, first, started)
            return
        if ack.error is not None and ack.error.err_code == ATOMIC_PUBLISH_DISABLED:
            log.warning("the commands stream takes no atomic batches: marks go one by one")
            self.batches = False
        # Refused as a whole (nothing of it stored): each mark alone gets its own answer. (A
        # count that does not match cannot be told apart: alone, each is found stored.)
        await asyncio.gather(*(self.alone(waiting) for waiting in group))

    async def alone(self, waiting: Waiting) -> None:
        started = time.perf_counter()
        try:
            seq, duplicate = await self.publish_one(
                waiting.subject, waiting.payload, waiting.headers
            )
        except Exception as error:
            waiting.settle(None, error)
            return
        waiting.settle((seq, duplicate))
        if not duplicate:
            stored([waiting], seq, started)

    async def batch(self, group: list[Waiting]) -> BatchAck:
        """Publish the group as one atomic batch; the commit's answer says how it went."""
        connection = self.connection()
        batch = secrets.token_hex(12)
        *leading, last = group
        for n, waiting in enumerate(leading, start=1):
            headers = {**waiting.headers, BATCH_ID: batch, BATCH_SEQUENCE: str(n)}
            await connection.publish(waiting.subject, waiting.payload, headers=headers)
        headers = {**last.headers, BATCH_ID: batch, BATCH_SEQUENCE: str(len(group))}
        headers[BATCH_COMMIT] = "1"
        reply = await connection.request(
            last.subject, last.payload, timeout=self.timeout, headers=headers
        )
        with contextlib.suppress(msgspec.DecodeError):
            return batch_ack_decoder.decode(reply.data)
        return BatchAck(error=ApiError(description=f"unreadable answer: {reply.data[:80]!r}"))


def stored(group: list[Waiting], first: int, started: float) -> None:
    """One line for a commit: the ids it stored (whoever follows a mark finds it by its id)."""
    log.info(
        "marks stored",
        extra={
            "marks": [waiting.headers.get(MSG_ID, "") for waiting in group],
            "first_seq": first,
            "last_seq": first + len(group) - 1,
            "store_ms": round((time.perf_counter() - started) * 1000, 2),
        },
    )
