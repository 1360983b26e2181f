"""The feed's protocol (SPEC section 8): what a screen may send and what it gets back."""

from __future__ import annotations

import msgspec

from services.broadcast.feed import Client, Feed, Feeds, Frame
from shared.events import MedalsPublished, StandingsPublished, TickerPublished

MAX_CHANNELS = 64
MAX_MESSAGE = 4096
_encoder = msgspec.json.Encoder()


class Since(msgspec.Struct, frozen=True):
    version: int
    epoch: str


class ClientMessage(msgspec.Struct, frozen=True):
    op: str
    channel: str = ""
    since: Since | None = None


def standings_channel(skill: str) -> str:
    return f"standings:{skill}"


MEDALS_CHANNEL = "medals"
TICKER_CHANNEL = "ticker"


def standings_frames(snapshot: StandingsPublished) -> tuple[Frame | None, Frame]:
    """(public, jury), each encoded once whatever the number of screens. Ranking decides what
    the public may see (`services.ranking.visibility`); a snapshot without that view shows the
    public nothing new (None), rather than anything of the jury's."""
    jury = snapshot.standings
    channel = standings_channel(jury.skill)
    public = None
    if snapshot.public is not None:
        public = frame(channel, jury.version, jury.epoch, snapshot.public)
    return public, frame(channel, jury.version, jury.epoch, jury)


def medals_frames(snapshot: MedalsPublished) -> tuple[Frame | None, Frame]:
    """(public, jury), as for the standings. The medal table's version counts on across
    rebuilds, so it needs no epoch."""
    public = None
    if snapshot.public is not None:
        public = frame(MEDALS_CHANNEL, snapshot.version, "", snapshot.public)
    return public, frame(MEDALS_CHANNEL, snapshot.version, "", snapshot.medals)


def ticker_frames(snapshot: TickerPublished) -> tuple[Frame | None, Frame]:
    return (
        frame(TICKER_CHANNEL, snapshot.version, "", {"items": snapshot.public}),
        frame(TICKER_CHANNEL, snapshot.version, "", {"items": snapshot.items}),
    )


def frame(channel: str, version: int, epoch: str, data: object) -> Frame:
    """Encoded once, whatever the number of screens it goes to."""
    message = {
        "type": "snapshot",
        "channel": channel,
        "version": version,
        "epoch": epoch,
        "data": data,
    }
    return Frame(channel, version, epoch, _encoder.encode(message).decode())


def error(code: str, message: str) -> str:
    return _encoder.encode({"type": "error", "code": code, "message": message}).decode()


PONG = _encoder.encode({"type": "pong"}).decode()


def handle(text: str, client: Client, feeds: Feeds, channels: frozenset[str]) -> None:
    """Act on one message from a screen; every problem is answered, never fatal."""
    if len(text) > MAX_MESSAGE:
        client.reply(error("too_large", f"messages are limited to {MAX_MESSAGE} bytes"))
        return
    try:
        message = msgspec.json.decode(text, type=ClientMessage)
    except msgspec.DecodeError as problem:
        client.reply(error("bad_message", f"not a valid message: {problem}"))
        return
    match message.op:
        case "ping":
            client.reply(PONG)
        case "subscribe":
            subscribe(message, client, feeds.of(client, message.channel), channels)
        case "unsubscribe":
            feeds.public.unsubscribe(client, message.channel)
            feeds.jury.unsubscribe(client, message.channel)
        case _:
            client.reply(
                error(
                    "unknown_op", f"unknown op {message.op!r}: use subscribe, unsubscribe or ping"
                )
            )


def subscribe(message: ClientMessage, client: Client, feed: Feed, channels: frozenset[str]) -> None:
    if message.channel not in channels:
        client.reply(error("unknown_channel", f"no channel {message.channel!r}"))
        return
    if message.channel not in client.channels and len(client.channels) >= MAX_CHANNELS:
        client.reply(error("too_many_channels", f"at most {MAX_CHANNELS} channels per connection"))
        return
    feed.subscribe(client, message.channel)
    latest = feed.latest.get(message.channel)
    if latest is None:
        return
    since = message.since
    if since is not None and since.epoch == latest.epoch and since.version >= latest.version:
        return
    client.offer(latest.text, message.channel)
