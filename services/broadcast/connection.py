"""The feed's WebSocket connections: uvicorn's own protocol, minus what a screen need not keep,
plus a way to write a frame built once for every screen.

Thousands of screens each hold a connection for hours. Once the handshake is answered, the
HTTP response that uvicorn built for it and the request's headers in the ASGI scope (which the
feed reads before it accepts) are of no further use, yet uvicorn keeps both for as long as the
connection lasts: together over 3 KiB of the 20 a screen may cost. Everything else, the
keepalive pings included, is uvicorn's.

The fan-out writes each snapshot's frame, built once (`services/broadcast/wire.py`), straight
to the connection's transport: `write_frame`, offered to the application in the scope's
extensions once the handshake is done.

This leans on uvicorn's private API (`WebSocketsSansIOProtocol`, its `response` attribute,
`handshake_complete`, `transport`, `writable`, `disconnected`, `close_sent` and `conn`, the
`websockets` protocol). The guard is uv.lock, which pins the uvicorn podium runs, and
`tests/integration/test_uvicorn_protocol.py`, which fails loudly when a refreshed lock brings
a uvicorn that moved any of them.
"""

from __future__ import annotations

from uvicorn._types import ASGISendEvent
from uvicorn.protocols.utils import ClientDisconnected
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.protocol import State

from services.broadcast import wire


class ScreenProtocol(WebSocketsSansIOProtocol):
    async def send(self, message: ASGISendEvent) -> None:
        await super().send(message)
        if message["type"] == "websocket.accept" and self.handshake_complete:
            # Should a later uvicorn keep the response elsewhere, there is just less to drop.
            vars(self).pop("response", None)
            self.scope["headers"] = ()
            if not self.conn.extensions:
                # With an extension (a client that negotiated compression with a server that
                # allows it) frames differ per connection: the feed then sends through ASGI.
                self.scope["extensions"][wire.EXTENSION] = {"write": self.write_frame}

    def write_frame(self, frame: bytes) -> bool:
        """Write a frame built once for many screens, as uvicorn's `send` would write it.

        Where `send` waits for a paused transport, this returns False and writes nothing: the
        feed then sends the frame through `send`, under its timeout. A connection that is
        closing or closed raises, as `send` does.
        """
        if self.disconnected or self.close_sent or self.conn.state is not State.OPEN:
            raise ClientDisconnected()
        if not self.writable.is_set():
            return False
        self.transport.write(frame)
        return True
