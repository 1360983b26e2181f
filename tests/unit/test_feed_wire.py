"""The fan-out's pre-built frames: the bytes `websockets` would frame, written as they are to
every screen that takes them at once; a screen that cannot is left to the slot and the pump."""

from __future__ import annotations

import asyncio
import json

import pytest
from websockets.client import ClientProtocol
from websockets.frames import Frame as WireFrame
from websockets.frames import Opcode
from websockets.protocol import State
from websockets.server import ServerProtocol
from websockets.uri import parse_uri

from services.broadcast import feed as feed_module
from services.broadcast import protocol, wire
from services.broadcast.feed import Client, Feed, Frame


def framed_by_websockets(payload: bytes) -> bytes:
    """What a `websockets` server connection writes for one text message."""
    server = ServerProtocol(state=State.OPEN)
    server.send_text(payload)
    return b"".join(server.data_to_send())


def read_by_websockets(data: bytes) -> list[str]:
    """The text messages a `websockets` client reads from what the server wrote."""
    client = ClientProtocol(parse_uri("ws://screen/ws"), state=State.OPEN, max_size=None)
    client.receive_data(data)
    events = client.events_received()
    assert all(isinstance(e, WireFrame) and e.opcode is Opcode.TEXT for e in events)
    return [bytes(e.data).decode() for e in events if isinstance(e, WireFrame)]


@pytest.mark.parametrize("size", [0, 1, 125, 126, 65535, 65536, 200_000])
def test_a_prebuilt_frame_is_what_websockets_frames(size: int) -> None:
    payload = ("é" * size).encode()[:size]  # a multi-byte character cut at the edge is fine
    assert wire.text_frame(payload) == framed_by_websockets(payload)


def test_a_snapshot_frame_is_built_once_and_reads_back_as_its_text() -> None:
    snapshot = protocol.frame("standings:welding", 3, "e1", {"rows": ["Ayşe", "Нурлан"]})
    assert snapshot.wire is snapshot.wire
    assert snapshot.wire == framed_by_websockets(snapshot.text.encode())
    assert read_by_websockets(snapshot.wire) == [snapshot.text]


class Connection:
    """A screen's connection as the fan-out sees it: pre-built frames written while it is not
    paused (as `ScreenProtocol.write_frame`), the ordinary ASGI send waiting while it is."""

    def __init__(self) -> None:
        self.written = bytearray()
        self.writes = 0
        self.writable = asyncio.Event()
        self.writable.set()
        self.broken = False
        self.closed: tuple[int, str] | None = None
        self.client = Client(send=self.send, close=self.close, write=self.write)

    def write(self, framed: bytes) -> bool:
        if self.broken:
            raise ConnectionResetError("connection lost")
        if not self.writable.is_set():
            return False
        self.written += framed
        self.writes += 1
        return True

    async def send(self, text: str) -> None:
        if self.broken:
            raise ConnectionResetError("connection lost")
        await self.writable.wait()
        self.written += wire.text_frame(text.encode())

    async def close(self, code: int, reason: str) -> None:
        self.closed = (code, reason)

    def versions(self) -> list[int]:
        return [json.loads(text)["version"] for text in read_by_websockets(bytes(self.written))]


def frame(version: int) -> Frame:
    text = json.dumps({"type": "snapshot", "channel": "standings:welding", "version": version})
    return Frame("standings:welding", version, "e1", text)


async def settle(connection: Connection) -> None:
    """Let the fan-out run and the pump, if the screen needed one, finish."""
    await asyncio.sleep(0.01)
    if connection.client.pumping is not None:
        await asyncio.wait_for(connection.client.pumping, 1)


async def test_every_screen_gets_the_same_bytes_in_one_write_and_no_task() -> None:
    feed, screens = Feed(), [Connection() for _ in range(3)]
    written: list[bytes] = []
    for screen in screens:
        feed.subscribe(screen.client, "standings:welding")

    def keep(framed: bytes) -> bool:
        written.append(framed)
        return True

    screens[0].client.write = keep
    for version in (1, 2):
        feed.update(frame(version))
        await asyncio.sleep(0.01)
    assert all(s.client.pumping is None for s in screens)
    assert [s.versions() for s in screens[1:]] == [[1, 2], [1, 2]]
    assert [s.writes for s in screens[1:]] == [2, 2]
    # The very bytes object built once per frame, not a copy per screen.
    assert written[1] is feed.latest["standings:welding"].wire


async def test_a_paused_connection_gets_the_latest_frame_only() -> None:
    feed, fast, paused = Feed(), Connection(), Connection()
    for screen in (fast, paused):
        feed.subscribe(screen.client, "standings:welding")
    feed.update(frame(1))
    await asyncio.sleep(0.01)
    paused.writable.clear()
    for version in range(2, 101):
        feed.update(frame(version))
        await asyncio.sleep(0)
    await asyncio.sleep(0.01)
    assert paused.client.pumping is not None
    paused.writable.set()
    await settle(paused)
    assert fast.versions() == list(range(1, 101))
    # Frame 2 was on its way when the connection paused; afterwards only the newest.
    assert paused.versions() == [1, 2, 100]
    # Writable again: back to the pre-built frames, with no task.
    feed.update(frame(101))
    await asyncio.sleep(0.01)
    assert paused.client.pumping is None
    assert paused.versions()[-1] == 101


async def test_a_stuck_screen_is_still_closed_with_1013(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(feed_module, "SEND_TIMEOUT_S", 0.05)
    feed, stuck = Feed(), Connection()
    feed.subscribe(stuck.client, "standings:welding")
    stuck.writable.clear()
    feed.update(frame(1))
    await settle(stuck)
    assert stuck.closed == (1013, "too slow")
    assert stuck.client.closed and stuck.written == b""


async def test_a_broken_connection_is_sent_nothing_more() -> None:
    feed, broken = Feed(), Connection()
    feed.subscribe(broken.client, "standings:welding")
    broken.broken = True
    feed.update(frame(1))
    await settle(broken)
    assert broken.client.closed and broken.client.pumping is None
    broken.broken = False
    feed.update(frame(2))
    await settle(broken)
    assert broken.written == b""


async def test_replies_and_frames_stay_in_order_through_the_pump() -> None:
    feed, screen = Feed(), Connection()
    feed.subscribe(screen.client, "standings:welding")
    screen.writable.clear()
    screen.client.reply(protocol.PONG)
    feed.update(frame(1))
    await asyncio.sleep(0.01)
    screen.writable.set()
    await settle(screen)
    texts = read_by_websockets(bytes(screen.written))
    assert [json.loads(t)["type"] for t in texts] == ["pong", "snapshot"]
