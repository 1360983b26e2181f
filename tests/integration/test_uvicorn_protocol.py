"""The private uvicorn API that `services/broadcast/connection.py` builds on still behaves.

`ScreenProtocol` subclasses uvicorn's sans-I/O WebSocket protocol and drops two attributes
after the handshake. uvicorn does not promise either: uv.lock pins the version podium runs, and
these tests fail loudly on the day a `make lock` brings a uvicorn that moved them.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import uvicorn
import websockets
from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

from services.broadcast.connection import ScreenProtocol
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
    instances: list[Any] = []

    class Remembered(protocol):  # type: ignore[valid-type,misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            instances.append(self)

    port = free_port()
    config = uvicorn.Config(APP, host="127.0.0.1", port=port, log_config=None, ws=Remembered)
    async with running(config), websockets.connect(f"ws://127.0.0.1:{port}/ws") as client:
        await client.send("hello")
        assert await client.recv() == "hello"
        yield instances


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
