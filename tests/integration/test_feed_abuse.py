"""The feed under abuse, against a real broadcast process (as `podium broadcast` runs):
malformed, binary and huge frames, floods of messages, thousands of connections from one
address and pages of other sites. Each gets a clear error or close, and everyone else is
served as before."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from websockets.asyncio.client import ClientConnection

from shared.plumbing.settings import Settings
from tests.support.eventually import eventually
from tests.support.subprocesses import service

PER_ADDRESS = 256
CROWD = 2000


@pytest.fixture
def feed(settings: Settings, tmp_path: Path) -> Iterator[str]:
    extra = {"PODIUM_ALLOWED_ORIGINS": "https://results.example.org"}
    with service("broadcast", settings, tmp_path / "broadcast.log", extra) as url:
        yield url


def ws_url(url: str) -> str:
    return url.replace("http://", "ws://") + "/ws"


async def answer(ws: ClientConnection, message: str | bytes) -> dict[str, Any]:
    await ws.send(message)
    reply: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), 5))
    return reply


async def ping(url: str, source: str = "127.0.0.1") -> dict[str, Any]:
    """A new screen's first answer: a pong if the feed serves it."""
    async with websockets.connect(ws_url(url), local_addr=(source, 0)) as ws:
        return await answer(ws, '{"op": "ping"}')


async def still_served(url: str, source: str = "127.0.0.1") -> None:
    assert await ping(url, source) == {"type": "pong"}
    async with httpx.AsyncClient() as http:
        assert (await http.get(url + "/readyz")).status_code == 200


async def test_bad_frames_get_errors_and_the_connection_stays_up(feed: str) -> None:
    async with websockets.connect(ws_url(feed), max_size=None) as ws:
        assert (await answer(ws, "nope"))["code"] == "bad_message"
        assert (await answer(ws, b"\x00\x01binary"))["code"] == "binary"
        assert (await answer(ws, '{"op": "dance"}'))["code"] == "unknown_op"
        assert (await answer(ws, json.dumps({"op": "ping", "pad": "x" * 5000})))["code"] == (
            "too_large"
        )
        assert (await answer(ws, "[" * 2000 + "]" * 2000))["code"] == "bad_message"  # deep
        assert await answer(ws, '{"op": "ping"}') == {"type": "pong"}
    # Over the frame limit (64 KiB) the server closes with 1009, as the protocol says.
    async with websockets.connect(ws_url(feed), max_size=None) as ws:
        await ws.send("x" * (128 * 1024))
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 5)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009
    await still_served(feed)


async def test_a_flood_of_messages_is_refused_then_closed(feed: str) -> None:
    async with websockets.connect(ws_url(feed)) as ws:
        codes: list[str] = []

        async def read() -> None:
            with contextlib.suppress(websockets.ConnectionClosed):
                async for raw in ws:
                    reply = json.loads(raw)
                    codes.append(reply.get("code", reply["type"]))

        reading = asyncio.create_task(read())
        subscribe = json.dumps({"op": "subscribe", "channel": "medals"})
        with contextlib.suppress(websockets.ConnectionClosed):
            for _ in range(2000):
                await ws.send(subscribe)
        await asyncio.wait_for(reading, 10)
        assert "too_many_messages" in codes
        assert ws.close_code == 1008 and ws.close_reason == "too many messages"
        await still_served(feed)


async def test_thousands_of_connections_from_one_address_meet_a_limit(feed: str) -> None:
    async def one() -> tuple[ClientConnection, str]:
        ws = await websockets.connect(ws_url(feed), open_timeout=30)
        try:
            reply = json.loads(await asyncio.wait_for(ws.recv(), 1))
            return ws, reply["code"]
        except TimeoutError:
            return ws, "admitted"
        except websockets.ConnectionClosed:
            return ws, "closed"

    crowd: list[tuple[ClientConnection, str]] = []
    for start in range(0, CROWD, 250):
        crowd += await asyncio.gather(*(one() for _ in range(start, min(CROWD, start + 250))))
    outcomes = [outcome for _, outcome in crowd]
    assert outcomes.count("admitted") == PER_ADDRESS
    assert outcomes.count("too_many_connections") == CROWD - PER_ADDRESS
    refused = next(ws for ws, outcome in crowd if outcome == "too_many_connections")
    await refused.wait_closed()
    assert refused.close_code == 1008
    # Another address is served meanwhile; once this one's screens leave, it is again.
    await still_served(feed, source="127.0.0.2")
    await asyncio.gather(*(ws.close() for ws, _ in crowd))
    pong = {"type": "pong"}
    await eventually(lambda: ping(feed), lambda reply: reply == pong, what="the address served")
    await still_served(feed)


async def test_pages_of_other_sites_may_not_open_the_feed(feed: str) -> None:
    with pytest.raises(websockets.InvalidStatus) as refused:
        async with websockets.connect(ws_url(feed), origin="https://evil.example"):  # type: ignore[arg-type]
            pass
    assert refused.value.response.status_code == 403
    for origin in ("https://results.example.org", feed, None):
        async with websockets.connect(ws_url(feed), origin=origin) as ws:  # type: ignore[arg-type]
            assert await answer(ws, '{"op": "ping"}') == {"type": "pong"}
