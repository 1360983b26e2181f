"""Broadcast's endpoints: the read API and the live WebSocket feed."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from dataclasses import dataclass

import msgspec
from prometheus_client import Counter, Gauge
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope
from starlette.types import Send as ASGISend
from starlette.websockets import WebSocket, WebSocketDisconnect

from services.broadcast import protocol
from services.broadcast.feed import Client, Close, Feeds, Send
from services.broadcast.guard import Doorman
from services.broadcast.store import SnapshotStore
from shared.championship import Championship
from shared.events import MedalsPublished, StandingsPublished, TickerPublished
from shared.tokens import TokenError, person
from shared.web import problem

log = logging.getLogger("podium.broadcast")
_encoder = msgspec.json.Encoder()


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
            return frozenset()
        expert = person(token, self.secret, self.championship)
        if expert.role == "organizer":
            skills = [protocol.standings_channel(s.id) for s in self.championship.skills]
            return frozenset([protocol.MEDALS_CHANNEL, protocol.TICKER_CHANNEL, *skills])
        if expert.role == "chief" and expert.skill is not None:
            return frozenset({protocol.standings_channel(expert.skill)})
        return frozenset()


def broadcast_of(request: Request | WebSocket) -> Broadcast:
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


class FeedSocket:
    """`WS /ws`: the live feed. A plain ASGI app rather than a Starlette endpoint, so that each
    frame goes from a screen's slot to the server's `send` without Starlette's per-message
    wrappers (the fan-out does this once per screen and snapshot)."""

    async def __call__(self, scope: Scope, receive: Receive, send: ASGISend) -> None:
        await serve_screen(WebSocket(scope, receive, send), _sender(send))


feed_socket = FeedSocket()


async def serve_screen(websocket: WebSocket, send: Send) -> None:
    broadcast = broadcast_of(websocket)
    doorman = broadcast.doorman
    if not doorman.origin_allowed(websocket.headers.get("origin"), websocket.headers.get("host")):
        # Before the handshake: the browser gets 403 and the page of another site nothing.
        broadcast.turned_away.labels(reason="origin").inc()
        await websocket.close(code=1008)
        return
    address = websocket.client.host if websocket.client else ""
    with doorman.admitted(address) as admitted:
        await websocket.accept()
        if not admitted:
            broadcast.turned_away.labels(reason="per_address").inc()
            limit = f"at most {doorman.per_address} feed connections from one address"
            await send(protocol.error("too_many_connections", limit))
            await websocket.close(code=1008, reason="too many connections from this address")
            return
        await follow(websocket, send, broadcast)


async def follow(websocket: WebSocket, send: Send, broadcast: Broadcast) -> None:
    """One screen's life on the feed: its subscriptions in, its frames out."""
    client = Client(send=send, close=_closer(websocket))
    flood = broadcast.doorman.messages()
    try:
        client.jury = broadcast.jury_channels(websocket.query_params.get("token"))
    except TokenError as error:
        # Still a screen: it gets the public view and is told why not the jury's.
        client.reply(protocol.error("bad_token", f"{error}; showing the public view"))
    broadcast.connections.inc()
    pump = asyncio.create_task(client.pump())
    try:
        while not pump.done():
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                break
            if not flood.allows():
                if flood.overflowing:
                    broadcast.turned_away.labels(reason="flood").inc()
                    await websocket.close(code=1008, reason="too many messages")
                    break
                rate = f"at most {broadcast.doorman.messages_per_s:g} messages a second"
                client.reply(protocol.error("too_many_messages", rate))
                continue
            text = message.get("text")
            if text is None:
                client.reply(protocol.error("binary", "send JSON text frames"))
                continue
            protocol.handle(text, client, broadcast.feeds, broadcast.channels)
    except WebSocketDisconnect:
        pass
    finally:
        broadcast.feeds.leave(client)
        broadcast.connections.dec()
        pump.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await pump


def _sender(send: ASGISend) -> Send:
    async def send_text(text: str) -> None:
        try:
            await send({"type": "websocket.send", "text": text})
        except OSError as error:  # the server's "client disconnected", as Starlette maps it
            raise WebSocketDisconnect(code=1006) from error

    return send_text


def _closer(websocket: WebSocket) -> Close:
    async def close(code: int, reason: str) -> None:
        await websocket.close(code, reason)

    return close
