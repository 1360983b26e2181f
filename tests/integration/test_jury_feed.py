"""The jury's feed on broadcast, against real NATS and Redis: a chief's token opens the jury's
board, with full names where the public sees initials; a revoked sign-in closes that feed on
every broadcast replica within a second, and the token opens only the public's view after
that, on a replica started later too."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import websockets

from services.broadcast.app import build as build_broadcast
from services.intake.app import build as build_intake
from services.ranking.app import build as build_ranking
from shared.plumbing.settings import Settings
from shared.public.view import public_championship
from tests.support.people import auth, demo, token_of
from tests.support.services import serving

CHAMPIONSHIP = demo()
PUBLIC = public_championship(CHAMPIONSHIP)
# A skill with a competitor the public sees by initials only (the demo's minors).
HIDDEN = next(c for c in CHAMPIONSHIP.competitors if PUBLIC.index.competitors[c.id].name != c.name)
SKILL = HIDDEN.skill
CHANNEL = f"standings:{SKILL}"
CHIEF = next(e for e in CHAMPIONSHIP.experts if e.role == "chief" and e.skill == SKILL)
ORGANIZER = next(e for e in CHAMPIONSHIP.experts if e.role == "organizer")
WITHIN_S = 1.0


async def frame(ws: websockets.ClientConnection, kind: str = "snapshot") -> dict[str, Any]:
    while True:
        message: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), 10))
        if message["type"] == kind:
            return message


def name_of_hidden(snapshot: dict[str, Any]) -> str:
    row = next(r for r in snapshot["data"]["rows"] if r["competitor"] == HIDDEN.id)
    name: str = row["name"]
    return name


@contextlib.asynccontextmanager
async def jury_screen(url: str, token: str) -> AsyncIterator[websockets.ClientConnection]:
    feed = url.replace("http", "ws") + f"/ws?token={token}"
    async with websockets.connect(feed) as ws:
        await ws.send(json.dumps({"op": "subscribe", "channel": CHANNEL}))
        yield ws


async def closed_within(ws: websockets.ClientConnection, began: float) -> float:
    """Seconds from `began` until the server closed the connection, with its code 1008."""
    try:
        while True:
            await asyncio.wait_for(ws.recv(), 10)
    except websockets.ConnectionClosed as closed:
        assert closed.rcvd is not None and closed.rcvd.code == 1008, closed
        assert closed.rcvd.reason == "sign-in revoked"
    return time.perf_counter() - began


async def test_a_revoked_chief_loses_the_jury_feed_on_every_replica_within_a_second(
    settings: Settings,
) -> None:
    token = token_of(CHIEF)
    async with contextlib.AsyncExitStack() as stack:
        await stack.enter_async_context(serving(build_ranking(settings)))
        intake = await stack.enter_async_context(serving(build_intake(settings)))
        replicas = [
            await stack.enter_async_context(serving(build_broadcast(settings))) for _ in range(2)
        ]
        public_ws = await stack.enter_async_context(
            websockets.connect(replicas[0].replace("http", "ws") + "/ws")
        )
        await public_ws.send(json.dumps({"op": "subscribe", "channel": CHANNEL}))
        assert name_of_hidden(await frame(public_ws)) == PUBLIC.index.competitors[HIDDEN.id].name
        screens = [await stack.enter_async_context(jury_screen(url, token)) for url in replicas]
        for ws in screens:
            # The jury sees the full name, where the public sees initials.
            assert name_of_hidden(await frame(ws)) == HIDDEN.name

        async with httpx.AsyncClient(base_url=intake) as http:
            began = time.perf_counter()
            revoked = await http.post(
                "/api/revocations",
                json={"person": CHIEF.id, "reason": "tablet lost"},
                headers=auth(ORGANIZER),
            )
        assert revoked.status_code == 201, revoked.text
        took = await asyncio.gather(*(closed_within(ws, began) for ws in screens))
        print(f"jury feeds closed {max(took):.3f} s after the revocation")
        assert max(took) < WITHIN_S
        # The public's screens stay.
        await public_ws.send(json.dumps({"op": "ping"}))
        assert (await frame(public_ws, "pong")) == {"type": "pong"}

        late = await stack.enter_async_context(serving(build_broadcast(settings)))
        for url in [*replicas, late]:
            await refused_the_jury_view(url, token)
        # A card made after the revocation works.
        await asyncio.sleep(0.01)
        async with jury_screen(late, token_of(CHIEF)) as ws:
            assert name_of_hidden(await frame(ws)) == HIDDEN.name


async def refused_the_jury_view(url: str, token: str) -> None:
    """The revoked token gets the public's view on the feed, told why, and 401 on the API."""
    async with jury_screen(url, token) as ws:
        error = await frame(ws, "error")
        assert error["code"] == "revoked", error
        assert name_of_hidden(await frame(ws)) == PUBLIC.index.competitors[HIDDEN.id].name
    async with httpx.AsyncClient(base_url=url) as http:
        answer = await http.get(f"/api/standings/{SKILL}", params={"token": token})
    assert answer.status_code == 401, answer.text
