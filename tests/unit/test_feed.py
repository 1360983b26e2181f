"""The feed's fan-out and protocol, without a network: slots, skipping, limits and errors."""

from __future__ import annotations

import asyncio
import json

import pytest

from services.broadcast import feed as feed_module
from services.broadcast import protocol
from services.broadcast.feed import Client, Feed, Feeds, Frame

CHANNELS = frozenset({"standings:welding", "standings:cooking"})


class Screen:
    """A client whose sending can be held up, recording what it sent."""

    def __init__(self) -> None:
        self.sent: list[dict[str, object]] = []
        self.closed: tuple[int, str] | None = None
        self.gate = asyncio.Event()
        self.gate.set()
        self.broken = False
        self.client = Client(send=self.send, close=self.close)

    async def send(self, text: str) -> None:
        if self.broken:
            raise OSError("connection lost")
        await self.gate.wait()
        self.sent.append(json.loads(text))

    async def close(self, code: int, reason: str) -> None:
        self.closed = (code, reason)


def frame(version: int, channel: str = "standings:welding", epoch: str = "e1") -> Frame:
    text = json.dumps({"type": "snapshot", "channel": channel, "version": version, "epoch": epoch})
    return Frame(channel, version, epoch, text)


async def fanned_out() -> None:
    """Returns once the fan-out that updates scheduled has run: the feed schedules it with
    `call_soon`, and the loop runs callbacks in the order they were scheduled."""
    loop = asyncio.get_running_loop()
    turn = loop.create_future()
    loop.call_soon(turn.set_result, None)
    await turn


async def drain(screen: Screen) -> None:
    """Let the fan-out run and the screen's pump, if it needed one, finish."""
    await fanned_out()
    if screen.client.pumping is not None:
        await asyncio.wait_for(screen.client.pumping, 1)


def test_versions_only_grow_unless_the_epoch_changes() -> None:
    feed = Feed()
    assert frame(2).newer_than(None)
    feed.update(frame(5))
    feed.update(frame(4))
    assert feed.latest["standings:welding"].version == 5
    feed.update(frame(1, epoch="e2"))
    assert feed.latest["standings:welding"].epoch == "e2"


async def test_a_slow_client_skips_to_the_latest_frame() -> None:
    feed, fast, slow = Feed(), Screen(), Screen()
    for screen in (fast, slow):
        feed.subscribe(screen.client, "standings:welding")
    slow.gate.clear()
    for version in range(1, 201):
        feed.update(frame(version))
        await fanned_out()  # each frame offered before the next: a client that keeps up
    slow.gate.set()
    await drain(slow)
    assert [m["version"] for m in fast.sent] == list(range(1, 201))
    # The slow screen was stuck in its first send; afterwards it got only the newest frame.
    assert [m["version"] for m in slow.sent] == [1, 200]


async def test_only_a_screen_that_cannot_take_a_frame_at_once_holds_a_task() -> None:
    feed, screen = Feed(), Screen()
    feed.subscribe(screen.client, "standings:welding")
    feed.update(frame(1))
    await fanned_out()
    assert screen.client.pumping is None
    screen.gate.clear()
    feed.update(frame(2))
    await fanned_out()
    assert screen.client.pumping is not None
    feed.update(frame(3))
    screen.gate.set()
    await drain(screen)
    assert screen.client.pumping is None
    assert [m["version"] for m in screen.sent] == [1, 2, 3]


async def test_a_screen_whose_connection_broke_is_sent_nothing_more() -> None:
    feed, screen = Feed(), Screen()
    feed.subscribe(screen.client, "standings:welding")
    screen.broken = True
    feed.update(frame(1))
    await drain(screen)
    screen.broken = False
    feed.update(frame(2))
    screen.client.reply(protocol.PONG)
    await drain(screen)
    assert screen.client.closed and screen.client.pumping is None
    assert screen.sent == []


async def test_a_client_that_never_reads_is_closed_with_1013(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(feed_module, "SEND_TIMEOUT_S", 0.05)
    feed, stuck = Feed(), Screen()
    feed.subscribe(stuck.client, "standings:welding")
    stuck.gate.clear()
    feed.update(frame(1))
    await drain(stuck)
    assert stuck.closed == (1013, "too slow")


async def test_subscribe_sends_the_current_snapshot_unless_since_is_current() -> None:
    feeds, screen = Feeds(), Screen()
    feeds.public.update(frame(7))
    protocol.handle(
        '{"op": "subscribe", "channel": "standings:welding"}', screen.client, feeds, CHANNELS
    )
    current = '{"op":"subscribe","channel":"standings:welding","since":{"version":7,"epoch":"e1"}}'
    stale = '{"op":"subscribe","channel":"standings:welding","since":{"version":7,"epoch":"old"}}'
    await drain(screen)
    assert [m["version"] for m in screen.sent] == [7]
    protocol.handle(current, screen.client, feeds, CHANNELS)
    await drain(screen)
    assert len(screen.sent) == 1
    protocol.handle(stale, screen.client, feeds, CHANNELS)
    await drain(screen)
    assert [m["version"] for m in screen.sent] == [7, 7]


@pytest.mark.parametrize(
    ("message", "code"),
    [
        ("{not json", "bad_message"),
        ('{"op": "dance"}', "unknown_op"),
        ('{"op": "subscribe", "channel": "standings:knitting"}', "unknown_channel"),
        ('{"op": "subscribe", "channel": 5}', "bad_message"),
        ("x" * 5000, "too_large"),
    ],
)
async def test_bad_messages_get_an_error_and_the_connection_stays(message: str, code: str) -> None:
    feeds, screen = Feeds(), Screen()
    protocol.handle(message, screen.client, feeds, CHANNELS)
    protocol.handle('{"op": "ping"}', screen.client, feeds, CHANNELS)
    await drain(screen)
    assert screen.sent[0]["type"] == "error" and screen.sent[0]["code"] == code
    assert screen.sent[1] == {"type": "pong"}


async def test_channels_per_connection_are_limited(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(protocol, "MAX_CHANNELS", 1)
    feeds, screen = Feeds(), Screen()
    protocol.handle(
        '{"op":"subscribe","channel":"standings:welding"}', screen.client, feeds, CHANNELS
    )
    protocol.handle(
        '{"op":"subscribe","channel":"standings:cooking"}', screen.client, feeds, CHANNELS
    )
    await drain(screen)
    assert screen.sent[-1]["code"] == "too_many_channels"
    protocol.handle(
        '{"op":"unsubscribe","channel":"standings:welding"}', screen.client, feeds, CHANNELS
    )
    feeds.public.update(frame(9))
    await drain(screen)
    assert all(m.get("type") != "snapshot" for m in screen.sent)


async def test_a_jury_screen_gets_the_jury_frame_and_others_the_public_one() -> None:
    feeds, public_screen, jury_screen = Feeds(), Screen(), Screen()
    jury_screen.client.jury = frozenset({"standings:welding"})
    for screen in (public_screen, jury_screen):
        protocol.handle(
            '{"op":"subscribe","channel":"standings:welding"}', screen.client, feeds, CHANNELS
        )
    feeds.update(frame(3, epoch="public"), frame(3, epoch="jury"))
    await drain(public_screen)
    await drain(jury_screen)
    assert [m["epoch"] for m in public_screen.sent] == ["public"]
    assert [m["epoch"] for m in jury_screen.sent] == ["jury"]
