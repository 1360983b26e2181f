"""The live feed's fan-out: each snapshot encoded once, offered to every subscriber's slot.

A client has one slot per channel holding the latest frame it has not yet sent. Offering a
frame never waits for the client: a slow client finds only the newest frame in its slot when
it gets round to sending (it skips what it missed); one that cannot send at all within
`SEND_TIMEOUT_S` is closed with 1013 so it never holds anything up.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

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


Send = Callable[[str], Awaitable[None]]
Close = Callable[[int, str], Awaitable[None]]


@dataclass(eq=False)
class Client:
    send: Send
    close: Close
    channels: set[str] = field(default_factory=set)
    slots: dict[str, str] = field(default_factory=dict)
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    replies: int = 0
    # Channels this screen sees as the jury does (its token is the skill's chief's or an
    # organizer's); every other channel it sees as the public does.
    jury: frozenset[str] = frozenset()

    def offer(self, text: str, channel: str) -> None:
        """Queue a frame without waiting; a newer one for the same channel replaces it."""
        self.slots[channel] = text
        self.ready.set()

    def reply(self, text: str) -> None:
        """Queue an answer to the client's own message, in order with everything else."""
        if len(self.slots) - len(self.channels) >= MAX_REPLIES:
            return
        self.replies += 1
        self.offer(text, f"reply:{self.replies}")

    async def pump(self) -> None:
        """Send whatever is in the slots, until the connection ends."""
        while True:
            await self.ready.wait()
            self.ready.clear()
            frames, self.slots = self.slots, {}
            for text in frames.values():
                try:
                    await asyncio.wait_for(self.send(text), SEND_TIMEOUT_S)
                except TimeoutError:
                    log.warning("closing a client that does not read")
                    with contextlib.suppress(Exception):
                        await self.close(TRY_AGAIN_LATER, "too slow")
                    return


class Feed:
    """Latest frame per channel and who listens to which channel."""

    def __init__(self) -> None:
        self.latest: dict[str, Frame] = {}
        self.listeners: dict[str, set[Client]] = {}

    def update(self, frame: Frame) -> int:
        """Keep the frame if it is newer and offer it to the channel's listeners."""
        if not frame.newer_than(self.latest.get(frame.channel)):
            return 0
        self.latest[frame.channel] = frame
        listeners = self.listeners.get(frame.channel, ())
        for client in listeners:
            client.offer(frame.text, frame.channel)
        return len(listeners)

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
