"""The live feed's fan-out: each snapshot encoded and framed once, offered to every subscriber.

Offering a frame never waits for the client. A client whose connection takes the frame at
once gets it written in the fan-out itself, as `websockets.broadcast` does, but as the same
bytes for every screen (`services/broadcast/wire.py`): one transport write per screen, no
framing per screen. Otherwise the frame
waits in the client's slot for its channel, which holds only the latest frame not yet sent: a
slow client finds only the newest frame when it gets round to sending (it skips what it
missed); one that cannot send at all within `SEND_TIMEOUT_S` is closed with 1013 so it never
holds anything up.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from services.broadcast import wire

log = logging.getLogger("podium.broadcast")

SEND_TIMEOUT_S = 10.0
# Replies (pong, errors) waiting to be sent; past this a flooding client's replies are dropped.
MAX_REPLIES = 32
TRY_AGAIN_LATER = 1013


@dataclass(frozen=True)
class Frame:
    """One snapshot of a channel, already encoded for the wire."""

    channel: str
    version: int
    epoch: str
    text: str

    def newer_than(self, other: Frame | None) -> bool:
        return other is None or self.epoch != other.epoch or self.version > other.version

    @cached_property
    def wire(self) -> bytes:
        """The WebSocket frame, header and payload, the same for every screen: built once."""
        return wire.text_frame(self.text.encode())


Send = Callable[[str], Coroutine[Any, Any, None]]
Close = Callable[[int, str], Awaitable[None]]


@dataclass(eq=False, slots=True)
class Client:
    """One screen: the channels it listens to and the frames on their way to it.

    Screens stay for hours and there may be thousands, so a quiet one holds no more than this
    object, with no task or event of its own: a task (`pump`) exists only while frames wait
    for a connection that could not take them at once.
    """

    send: Send
    close: Close
    # Writes a frame built once for every screen straight to the connection; None where the
    # connection cannot take such frames (then every frame goes through `send`).
    write: wire.Write | None = None
    channels: set[str] = field(default_factory=set)
    # Frames not yet sent: the latest per channel, and the replies in order.
    slots: dict[str, str] = field(default_factory=dict)
    replies: int = 0
    # Channels this screen sees as the jury does (its token is the skill's chief's or an
    # organizer's); every other channel it sees as the public does.
    jury: frozenset[str] = frozenset()
    # The task sending what waits; None while nothing does.
    pumping: asyncio.Task[None] | None = None
    # A send begun at once that had to wait for the connection; the pump finishes it.
    stalled: Coroutine[Any, Any, None] | None = None
    stalled_on: Any = None
    # Closed by the feed, or its connection broke: nothing more is sent.
    closed: bool = False

    def offer(self, text: str, channel: str) -> None:
        """Send a frame at once if the connection takes it, else queue it without waiting;
        a newer queued frame for the same channel replaces the older."""
        if self.closed:
            return
        if self.pumping is None:
            self.send_now(text)
            return
        self.slots[channel] = text

    def offer_frame(self, frame: Frame, framed: bytes) -> None:
        """Offer a snapshot's frame, `framed` being its bytes on the wire (`Frame.wire`).

        When the connection takes it at once, those bytes are written as they are. When its
        buffer is full, or a pump already runs, the frame waits in the channel's slot for the
        pump, exactly as in `offer`.
        """
        if self.closed:
            return
        if self.pumping is not None or self.write is None:
            self.offer(frame.text, frame.channel)
            return
        try:
            if self.write(framed):
                return
        except Exception:
            self.closed = True  # broken connection, as in `send_now`
            return
        # The connection is not taking more now: the pump sends the slot once it does, or
        # closes the screen after `SEND_TIMEOUT_S`.
        self.slots[frame.channel] = frame.text
        self.pumping = asyncio.create_task(self.pump())

    def send_now(self, text: str) -> None:
        """Write the frame in this very call when the connection can take it, as
        `websockets.broadcast` does: most screens cost no task switch and no timer.

        The send is run as a coroutine that usually ends without waiting. If it must wait (the
        screen's buffer is full), a pump takes it over and finishes it under the timeout.
        """
        sending = self.send(text)
        try:
            self.stalled_on = sending.send(None)
        except StopIteration:
            return
        except Exception:
            # Broken connection: the receive loop learns of it too, and ends.
            self.closed = True
            return
        self.stalled = sending
        self.pumping = asyncio.create_task(self.pump())

    def reply(self, text: str) -> None:
        """Queue an answer to the client's own message, in order with everything else."""
        if len(self.slots) - len(self.channels) >= MAX_REPLIES:
            return
        self.replies += 1
        self.offer(text, f"reply:{self.replies}")

    async def pump(self) -> None:
        """Finish the stalled send, then send what was queued meanwhile, until nothing waits."""
        try:
            while not self.closed and (self.stalled is not None or self.slots):
                await self.deliver()
        except Exception:
            self.closed = True  # broken connection, as in `send_now`
        finally:
            self.pumping = None
            if self.stalled is not None:
                self.stalled.close()
                self.stalled = self.stalled_on = None

    async def deliver(self) -> None:
        """Finish a stalled send, then send the slots; a client that takes nothing for
        `SEND_TIMEOUT_S` is closed."""
        try:
            async with asyncio.timeout(SEND_TIMEOUT_S):
                await self.finish_stalled()
            frames, self.slots = self.slots, {}
            for text in frames.values():
                # A timer rather than wait_for: no task per frame and screen.
                async with asyncio.timeout(SEND_TIMEOUT_S):
                    await self.send(text)
        except TimeoutError:
            log.warning("closing a client that does not read")
            await self.shut(TRY_AGAIN_LATER, "too slow")

    async def finish_stalled(self) -> None:
        """Drive the send that `send_now` began, as a task would, until it ends."""
        while self.stalled is not None:
            if self.stalled_on is None:
                await asyncio.sleep(0)
            else:
                await asyncio.wait([self.stalled_on])
            try:
                self.stalled_on = self.stalled.send(None)
            except StopIteration:
                self.stalled = self.stalled_on = None

    async def stop(self) -> None:
        """The connection ended: send nothing more, and end the pump if one runs."""
        self.closed = True
        pumping = self.pumping
        if pumping is not None:
            pumping.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await pumping

    async def shut(self, code: int, reason: str) -> None:
        """Close the connection; whatever is still offered is dropped."""
        self.closed = True
        with contextlib.suppress(Exception):
            await self.close(code, reason)


class Feed:
    """Latest frame per channel and who listens to which channel."""

    def __init__(self) -> None:
        self.latest: dict[str, Frame] = {}
        self.listeners: dict[str, set[Client]] = {}
        # Frames waiting for the fan-out that runs once the current burst of snapshots is in.
        self.pending: dict[str, Frame] = {}

    def update(self, frame: Frame) -> int:
        """Keep the frame if it is newer and offer it to the channel's listeners.

        The offers happen in one callback soon after, so a burst of snapshots (a replay, a
        batch) reaches each screen as its newest frame, not one frame per snapshot.
        """
        if not frame.newer_than(self.latest.get(frame.channel)):
            return 0
        self.latest[frame.channel] = frame
        listeners = self.listeners.get(frame.channel, ())
        if listeners:
            if not self.pending:
                asyncio.get_running_loop().call_soon(self.fan_out)
            self.pending[frame.channel] = frame
        return len(listeners)

    def fan_out(self) -> None:
        pending, self.pending = self.pending, {}
        for frame in pending.values():
            framed = frame.wire
            for client in self.listeners.get(frame.channel, ()):
                client.offer_frame(frame, framed)

    def subscribe(self, client: Client, channel: str) -> None:
        client.channels.add(channel)
        self.listeners.setdefault(channel, set()).add(client)

    def unsubscribe(self, client: Client, channel: str) -> None:
        client.channels.discard(channel)
        client.slots.pop(channel, None)
        self.listeners.get(channel, set()).discard(client)

    def leave(self, client: Client) -> None:
        for channel in list(client.channels):
            self.unsubscribe(client, channel)


@dataclass(frozen=True)
class Feeds:
    """One feed per audience: each snapshot is encoded once for the public, once for the jury."""

    public: Feed = field(default_factory=Feed)
    jury: Feed = field(default_factory=Feed)

    def of(self, client: Client, channel: str) -> Feed:
        return self.jury if channel in client.jury else self.public

    def update(self, public: Frame, jury: Frame) -> int:
        return self.public.update(public) + self.jury.update(jury)

    def leave(self, client: Client) -> None:
        self.public.leave(client)
        self.jury.leave(client)
