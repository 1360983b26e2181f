"""The private uvicorn API that `services/broadcast/connection.py` builds on still behaves.

`ScreenProtocol` subclasses uvicorn's sans-I/O WebSocket protocol, drops two attributes after
the handshake, and writes frames built once (`services/broadcast/wire.py`) straight to the
transport, reading uvicorn's `transport`, `writable`, `disconnected`, `close_sent` and `conn`.
uvicorn does not promise any of them: uv.lock pins the version podium runs, and these tests
fail loudly on the day a `make lock` brings a uvicorn (or a `websockets`) that moved them.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest
import uvicorn
import websockets
from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from uvicorn.protocols.utils import ClientDisconnected
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

from services.broadcast import wire
from services.broadcast.connection import ScreenProtocol
from tests.support.eventually import eventually
from tests.support.servers import free_port
from tests.support.services import running


async def echo(websocket: WebSocket) -> None:
    await websocket.accept()
    await websocket.send_text(await websocket.receive_text())
    await websocket.close()


APP = Starlette(routes=[WebSocketRoute("/ws", echo)])


@contextlib.asynccontextmanager
async def served(protocol: type[WebSocketsSansIOProtocol]) -> AsyncIterator[list[Any]]:
    """Serve `APP` with a protocol that remembers each of its instances."""
    async with (
        serving(protocol, APP) as (port, instances),
        websockets.connect(f"ws://127.0.0.1:{port}/ws") as client,
    ):
        await client.send("hello")
        assert await client.recv() == "hello"
        yield instances


@contextlib.asynccontextmanager
async def serving(
    protocol: type[WebSocketsSansIOProtocol], app: Any, **config: Any
) -> AsyncIterator[tuple[int, list[Any]]]:
    """Serve `app` with a protocol that remembers each of its instances."""
    instances: list[Any] = []

    class Remembered(protocol):  # type: ignore[valid-type,misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            instances.append(self)

    port = free_port()
    settings = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_config=None, ws=Remembered, **config
    )
    async with running(settings):
        yield port, instances


async def test_uvicorn_still_keeps_the_handshake_where_screen_protocol_drops_it() -> None:
    """Without ScreenProtocol, the response and the headers stay for the connection's life."""
    async with served(WebSocketsSansIOProtocol) as [protocol]:
        assert protocol.handshake_complete
        assert "response" in vars(protocol)
        assert protocol.scope["headers"]


async def test_screen_protocol_forgets_the_handshake_and_the_connection_still_works() -> None:
    async with served(ScreenProtocol) as [protocol]:
        assert protocol.handshake_complete
        assert "response" not in vars(protocol)
        assert protocol.scope["headers"] == ()


class Writes:
    """An ASGI app that accepts, takes the connection's `Write`, and waits for the end."""

    def __init__(self) -> None:
        self.write: wire.Write | None = None
        self.accepted = asyncio.Event()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        self.write = wire.of(scope)
        self.accepted.set()
        while (await receive())["type"] != "websocket.disconnect":
            pass


async def test_a_prebuilt_frame_is_written_to_the_transport_while_it_is_not_paused() -> None:
    app = Writes()
    # As `podium broadcast` runs: no per-message deflate, so frames are the same everywhere.
    async with serving(ScreenProtocol, app, ws_per_message_deflate=False) as (port, protocols):
        async with websockets.connect(f"ws://127.0.0.1:{port}/ws") as client:
            await asyncio.wait_for(app.accepted.wait(), 5)
            [protocol] = protocols
            assert app.write is not None and app.write.__self__ is protocol  # type: ignore[attr-defined]
            assert app.write(wire.text_frame("Ayşe leads".encode()))
            assert await asyncio.wait_for(client.recv(), 5) == "Ayşe leads"
            # uvicorn's flow control, as the transport drives it: nothing written while paused.
            protocol.pause_writing()
            assert app.write(wire.text_frame(b"held back")) is False
            protocol.resume_writing()
            assert app.write(wire.text_frame(b"after"))
            assert await asyncio.wait_for(client.recv(), 5) == "after"

        async def gone() -> bool:
            return bool(protocol.disconnected)

        await eventually(gone, within=5, every=0.01, what="the close")
        with pytest.raises(ClientDisconnected):
            app.write(wire.text_frame(b"too late"))


async def test_a_connection_with_compression_gets_no_prebuilt_frames() -> None:
    app = Writes()
    async with (
        serving(ScreenProtocol, app, ws_per_message_deflate=True) as (port, _),
        websockets.connect(f"ws://127.0.0.1:{port}/ws", compression="deflate"),
    ):
        await asyncio.wait_for(app.accepted.wait(), 5)
        assert app.write is None
