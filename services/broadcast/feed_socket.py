"""`WS /ws`: one screen's connection to the live feed, straight on the server's ASGI `send`,
from the doorman's checks at the handshake to its last frame."""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.types import Message, Receive, Scope
from starlette.types import Send as ASGISend

from services.broadcast import protocol, wire
from services.broadcast.feed import Client
from services.broadcast.guard import Flood
from services.broadcast.handlers import Broadcast
from shared.plumbing.tokens import Claims, RevokedError, TokenError


class Socket:
    """A screen's WebSocket as the feed uses it, straight on the server's ASGI `send`: accept,
    text frames out, close. Starlette's `WebSocket` would keep, for each of thousands of
    screens, a state machine, the parsed headers and query, and a wrapper per message."""

    __slots__ = ("_send",)

    def __init__(self, send: ASGISend) -> None:
        self._send = send

    async def accept(self) -> None:
        await self._send({"type": "websocket.accept"})

    async def text(self, text: str) -> None:
        await self._send({"type": "websocket.send", "text": text})

    async def close(self, code: int, reason: str = "") -> None:
        await self._send({"type": "websocket.close", "code": code, "reason": reason})


def header(scope: Scope, name: bytes) -> str | None:
    """The first header of that (lower-case) name, as Starlette's `Headers.get` reads it."""
    return next((value.decode("latin-1") for key, value in scope["headers"] if key == name), None)


def query_token(scope: Scope) -> str | None:
    query = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
    return dict(query).get("token")


async def serve_screen(
    scope: Scope, receive: Receive, send: ASGISend, broadcast: Broadcast
) -> None:
    """`WS /ws`: one screen's connection, from the handshake to its end."""
    doorman = broadcast.doorman
    socket = Socket(send)
    # Headers are read before the handshake only: `ScreenProtocol` forgets them after it.
    if not doorman.origin_allowed(header(scope, b"origin"), header(scope, b"host")):
        # Before the handshake: the browser gets 403 and the page of another site nothing.
        broadcast.turned_away.labels(reason="origin").inc()
        await socket.close(1008)
        return
    address = scope["client"][0] if scope.get("client") else ""
    admitted = doorman.admit(address)
    try:
        await receive()  # websocket.connect
        await socket.accept()
        if not admitted:
            broadcast.turned_away.labels(reason="per_address").inc()
            limit = f"at most {doorman.per_address} feed connections from one address"
            await socket.text(protocol.error("too_many_connections", limit))
            await socket.close(1008, "too many connections from this address")
            return
        await follow(scope, receive, socket, broadcast)
    finally:
        if admitted:
            doorman.leave(address)


async def follow(scope: Scope, receive: Receive, socket: Socket, broadcast: Broadcast) -> None:
    """One screen's life on the feed: its subscriptions in, its frames out."""
    client = Client(send=socket.text, close=socket.close, write=wire.of(scope))
    flood = broadcast.doorman.messages()
    claims: Claims | None = None
    try:
        client.jury, claims = broadcast.jury_of(query_token(scope))
    except TokenError as error:
        # Still a screen: it gets the public view and is told why not the jury's.
        code = "revoked" if isinstance(error, RevokedError) else "bad_token"
        client.reply(protocol.error(code, f"{error}; showing the public view"))
    if claims is not None:
        # Closed at once should the sign-in be revoked (`signins.py`).
        broadcast.signins.watch(client, claims)
    broadcast.connections.inc()
    try:
        answering = True
        while answering:
            # The message goes straight to `answer`: nothing holds it while the screen is quiet.
            answering = await answer(await receive(), client, flood, broadcast)
    finally:
        if claims is not None:
            broadcast.signins.forget(client, claims)
        broadcast.feeds.leave(client)
        broadcast.connections.dec()
        await client.stop()


async def answer(message: Message, client: Client, flood: Flood, broadcast: Broadcast) -> bool:
    """Act on one message from the screen; False once its connection is over."""
    if message["type"] == "websocket.disconnect":
        return False
    if not flood.allows():
        if flood.overflowing:
            broadcast.turned_away.labels(reason="flood").inc()
            await client.shut(1008, "too many messages")
            return False
        rate = f"at most {broadcast.doorman.messages_per_s:g} messages a second"
        client.reply(protocol.error("too_many_messages", rate))
    elif (text := message.get("text")) is None:
        client.reply(protocol.error("binary", "send JSON text frames"))
    else:
        protocol.handle(text, client, broadcast.feeds, broadcast.channels)
    return not client.closed
