"""A snapshot's WebSocket frame, built once and written as the same bytes to every screen.

A server's frames are not masked (RFC 6455, section 5.1), and podium's feed connections use no
extension (per-message deflate is off), so the frame that carries a snapshot, header and
payload, is the same on every connection. `websockets.broadcast` still frames each message
once per connection; here the frame is built once per audience and each screen costs one
`transport.write` of those bytes: no ASGI message, no coroutine, no framing per screen.

A connection that cannot take the bytes at once (its buffer is full) is left to the feed's
ordinary, per-connection path: the latest-frame slot, flow control and the 1013 close.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from websockets.frames import Frame, Opcode

# Writes a pre-built frame to one screen's connection: True once written, False while the
# connection's buffer is full (nothing written; the caller waits through the ordinary path).
# Raises when the connection is over.
Write = Callable[[bytes], bool]

# The ASGI scope extension under which `ScreenProtocol` offers a connection's `Write` (an
# extension is a dict, as ASGI has it: {"write": Write}).
EXTENSION = "podium.wire"


def text_frame(payload: bytes) -> bytes:
    """The unmasked, unfragmented text frame of a UTF-8 payload, as `websockets` frames it."""
    return Frame(Opcode.TEXT, payload).serialize(mask=False, extensions=[])


def of(scope: Mapping[str, Any]) -> Write | None:
    """The connection's `Write`, if its server offers one (`ScreenProtocol` does)."""
    offered = scope.get("extensions", {}).get(EXTENSION, {})
    write: Write | None = offered.get("write")
    return write
