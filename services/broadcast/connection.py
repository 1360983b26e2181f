"""The feed's WebSocket connections: uvicorn's own protocol, minus what a screen need not keep.

Thousands of screens each hold a connection for hours. Once the handshake is answered, the
HTTP response that uvicorn built for it and the request's headers in the ASGI scope (which the
feed reads before it accepts) are of no further use, yet uvicorn keeps both for as long as the
connection lasts: together over 3 KiB of the 20 a screen may cost. Everything else, the
keepalive pings included, is uvicorn's.

This leans on uvicorn's private API (`WebSocketsSansIOProtocol`, its `response` attribute and
`handshake_complete`). The guard is uv.lock, which pins the uvicorn podium runs, and
`tests/integration/test_uvicorn_protocol.py`, which fails loudly when a refreshed lock brings
a uvicorn that moved any of them.
"""

from __future__ import annotations

from uvicorn._types import ASGISendEvent
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol


class ScreenProtocol(WebSocketsSansIOProtocol):
    async def send(self, message: ASGISendEvent) -> None:
        await super().send(message)
        if message["type"] == "websocket.accept" and self.handshake_complete:
            # Should a later uvicorn keep the response elsewhere, there is just less to drop.
            vars(self).pop("response", None)
            self.scope["headers"] = ()
