"""Broadcast's endpoints: the read API and the live WebSocket feed."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from urllib.parse import parse_qsl

import msgspec
from prometheus_client import Counter, Gauge
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Message, Receive, Scope
from starlette.types import Send as ASGISend

from services.broadcast import protocol, wire
from services.broadcast.feed import Client, Feeds
from services.broadcast.guard import Doorman, Flood
from services.broadcast.store import SnapshotStore
from shared.championship import Championship
from shared.events import MedalsPublished, StandingsPublished, TickerPublished
from shared.tokens import TokenError, person
from shared.web import problem

log = logging.getLogger("podium.broadcast")
_encoder = msgspec.json.Encoder()
# One empty set for every screen without a jury's token, rather than one each.
NO_CHANNELS: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Broadcast:
    championship: Championship
    feeds: Feeds
    store: SnapshotStore
    secret: str
    channels: frozenset[str]
    connections: Gauge
    frames: Counter
    doorman: Doorman
    turned_away: Counter

    def receive(self, snapshot: StandingsPublished) -> None:
        """A snapshot from ranking: keep it and fan it out."""
        listeners = self.feeds.update(*protocol.standings_frames(snapshot))
        self.frames.inc(listeners)
        standings = snapshot.standings
        log.info(
            "standings fanned out",
            extra={
                "skill": standings.skill,
                "version": standings.version,
                "marks": snapshot.marks,
                "screens": listeners,
            },
        )

    def receive_medals(self, snapshot: MedalsPublished) -> None:
        listeners = self.feeds.update(*protocol.medals_frames(snapshot))
        self.frames.inc(listeners)
        log.info("medals fanned out", extra={"version": snapshot.version, "screens": listeners})

    def receive_ticker(self, snapshot: TickerPublished) -> None:
        listeners = self.feeds.update(*protocol.ticker_frames(snapshot))
        self.frames.inc(listeners)
        log.info("ticker fanned out", extra={"version": snapshot.version, "screens": listeners})

    async def reload(self) -> None:
        """Catch up from Redis: on start, and after NATS was away and messages were missed."""
        skills = [s.id for s in self.championship.skills]
        for snapshot in await self.store.all_standings(skills):
            self.feeds.update(*protocol.standings_frames(snapshot))
        medals = await self.store.medals()
        if medals is not None:
            self.feeds.update(*protocol.medals_frames(medals))
        ticker = await self.store.ticker()
        if ticker is not None:
            self.feeds.update(*protocol.ticker_frames(ticker))

    def jury_channels(self, token: str | None) -> frozenset[str]:
        """The channels a token opens to the jury's view; raises TokenError for a bad one."""
        if token is None:
            return NO_CHANNELS
        expert = person(token, self.secret, self.championship)
        if expert.role == "organizer":
            skills = [protocol.standings_channel(s.id) for s in self.championship.skills]
            return frozenset([protocol.MEDALS_CHANNEL, protocol.TICKER_CHANNEL, *skills])
        if expert.role == "chief" and expert.skill is not None:
            return frozenset({protocol.standings_channel(expert.skill)})
        return NO_CHANNELS


def broadcast_of(request: Request) -> Broadcast:
    broadcast: Broadcast = request.app.state.broadcast
    return broadcast


# Boards change within seconds: a phone may reuse an answer briefly, then asks again with its
# ETag and gets 304 if nothing changed. The jury's view is never kept by shared caches.
MAX_AGE_S = 2


def cached(request: Request, body: object, private: bool) -> Response:
    encoded = _encoder.encode(body)
    etag = '"' + hashlib.blake2b(encoded, digest_size=12).hexdigest() + '"'
    headers = {
        "ETag": etag,
        "Cache-Control": f"{'private' if private else 'public'}, max-age={MAX_AGE_S}",
        "Vary": "Authorization",
    }
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(encoded, media_type="application/json", headers=headers)


async def all_standings(request: Request) -> Response:
    broadcast = broadcast_of(request)
    skills = broadcast.championship.skills
    found = {
        s.standings.skill: s.standings
        for s in await broadcast.store.all_standings([s.id for s in skills])
    }
    summary = []
    for skill in skills:
        standings = found.get(skill.id)
        summary.append(
            {
                "skill": skill.id,
                "name": skill.name,
                "version": standings.version if standings else 0,
                "epoch": standings.epoch if standings else "",
                "visibility": standings.visibility if standings else "live",
                "provisional": standings.provisional if standings else True,
                "progress": standings.progress if standings else 0.0,
                "updated_at": standings.updated_at if standings else None,
            }
        )
    return cached(request, {"skills": summary}, private=False)


def jury_sees(request: Request, channel: str) -> bool:
    """Whether the request's `?token=` (or bearer token) opens the jury's view of the channel."""
    scheme, _, bearer = request.headers.get("authorization", "").partition(" ")
    token = request.query_params.get("token") or (bearer if scheme.lower() == "bearer" else None)
    try:
        return channel in broadcast_of(request).jury_channels(token)
    except TokenError as error:
        raise HTTPException(401, str(error), headers={"WWW-Authenticate": "Bearer"}) from error


async def medal_table(request: Request) -> Response:
    jury = jury_sees(request, protocol.MEDALS_CHANNEL)  # a bad token is refused first
    medals = await broadcast_of(request).store.medals()
    if medals is None:
        detail = "ranking has not yet computed the medal table"
        return problem(503, "Not ready", detail, headers={"Retry-After": "2"})
    if jury:
        return cached(request, medals.medals, private=True)
    return cached(request, medals.public or medals.medals, private=False)


async def skill_standings(request: Request) -> Response:
    broadcast = broadcast_of(request)
    skill = request.path_params["skill"]
    if skill not in broadcast.championship.index.skills:
        return problem(404, "Unknown skill", f"no skill {skill!r}")
    jury = jury_sees(request, protocol.standings_channel(skill))  # a bad token is refused first
    snapshot = await broadcast.store.standings(skill)
    if snapshot is None:
        detail = f"ranking has not yet computed the standings of {skill}"
        return problem(503, "Not ready", detail, headers={"Retry-After": "2"})
    if jury:
        return cached(request, snapshot.standings, private=True)
    return cached(request, protocol.public_standings(snapshot), private=False)


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
    try:
        client.jury = broadcast.jury_channels(query_token(scope))
    except TokenError as error:
        # Still a screen: it gets the public view and is told why not the jury's.
        client.reply(protocol.error("bad_token", f"{error}; showing the public view"))
    broadcast.connections.inc()
    try:
        answering = True
        while answering:
            # The message goes straight to `answer`: nothing holds it while the screen is quiet.
            answering = await answer(await receive(), client, flood, broadcast)
    finally:
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
