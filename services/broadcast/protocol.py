"""The feed's protocol (docs/feed.md): what a screen may send and what it gets back."""

from __future__ import annotations

from typing import get_args

import msgspec

from services.broadcast.feed import Client, Feed, Feeds, Frame
from shared.championship import Championship
from shared.events import MedalsPublished, StandingsPublished, TickerPublished

MAX_CHANNELS = 64
MAX_MESSAGE = 4096
_encoder = msgspec.json.Encoder()


class Since(msgspec.Struct, frozen=True):
    version: int
    epoch: str


class Subscribe(msgspec.Struct, frozen=True, tag="subscribe", tag_field="op"):
    """Frames of a channel from now on, and its current one unless `since` is current."""

    channel: str = ""
    since: Since | None = None


class Unsubscribe(msgspec.Struct, frozen=True, tag="unsubscribe", tag_field="op"):
    channel: str = ""


class Ping(msgspec.Struct, frozen=True, tag="ping", tag_field="op"):
    """Answered with a pong, in order with the frames."""


# What a screen may send. A new message is one more Struct here and one more case in `handle`.
ClientMessage = Subscribe | Unsubscribe | Ping
client_messages = msgspec.json.Decoder(ClientMessage)
OPS = tuple(kind.__struct_config__.tag for kind in get_args(ClientMessage))


class Envelope(msgspec.Struct, frozen=True):
    """Only for telling a screen which op it sent that is not one (see `decode`)."""

    op: str


_envelope = msgspec.json.Decoder(Envelope)


def standings_channel(skill: str) -> str:
    return f"standings:{skill}"


MEDALS_CHANNEL = "medals"
TICKER_CHANNEL = "ticker"


def channels(championship: Championship) -> frozenset[str]:
    """Every channel of the feed: the medal table, the ticker, and each skill's standings."""
    skills = (standings_channel(skill.id) for skill in championship.skills)
    return frozenset([MEDALS_CHANNEL, TICKER_CHANNEL, *skills])


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
    message = decode(text)
    match message:
        case str():
            client.reply(message)
        case Ping():
            client.reply(PONG)
        case Subscribe():
            subscribe(message, client, feeds.of(client, message.channel), channels)
        case Unsubscribe():
            feeds.public.unsubscribe(client, message.channel)
            feeds.jury.unsubscribe(client, message.channel)


def decode(text: str) -> ClientMessage | str:
    """The screen's message, or the error frame that answers it."""
    if len(text) > MAX_MESSAGE:
        return error("too_large", f"messages are limited to {MAX_MESSAGE} bytes")
    try:
        return client_messages.decode(text)
    except msgspec.ValidationError as invalid:
        return _not_a_message(text, invalid)
    except msgspec.DecodeError as problem:
        return error("bad_message", f"not a valid message: {problem}")


def _not_a_message(text: str, invalid: msgspec.ValidationError) -> str:
    """JSON, but no message: an op that is none of ours is named as such."""
    try:
        op = _envelope.decode(text).op
    except msgspec.ValidationError as problem:
        # No `op`, or not a string: the envelope says so in so many words.
        return error("bad_message", f"not a valid message: {problem}")
    if op not in OPS:
        known = ", ".join(OPS[:-1]) + " or " + OPS[-1]
        return error("unknown_op", f"unknown op {op!r}: use {known}")
    return error("bad_message", f"not a valid message: {invalid}")


def subscribe(message: Subscribe, client: Client, feed: Feed, channels: frozenset[str]) -> None:
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
