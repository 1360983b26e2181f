"""A burst of snapshots reaches a screen as its newest, not as a queue of stale frames:
broadcast, real NATS and Redis, a real WebSocket screen."""

from __future__ import annotations

import asyncio
import json

import nats
import websockets

from services.broadcast.app import build as build_broadcast
from shared import subjects
from shared.events import StandingsPublished, encoder
from shared.plumbing.settings import Settings
from tests.support.boards import empty_board
from tests.support.people import demo
from tests.support.services import serving

SKILL = demo().skills[0].id
BURST = 40


def snapshot(version: int) -> bytes:
    standings = empty_board(SKILL, version, "burst")
    # Live: the public's view is the jury's (a snapshot without one shows the public nothing).
    return encoder.encode(StandingsPublished(standings=standings, marks=(), public=standings))


async def test_a_burst_of_snapshots_reaches_a_screen_as_the_newest(settings: Settings) -> None:
    async with (
        serving(build_broadcast(settings)) as url,
        websockets.connect(url.replace("http", "ws") + "/ws") as screen,
    ):
        channel = f"standings:{SKILL}"
        await screen.send(json.dumps({"op": "subscribe", "channel": channel}))
        await screen.send(json.dumps({"op": "ping"}))
        assert json.loads(await asyncio.wait_for(screen.recv(), 10)) == {"type": "pong"}
        connection = await nats.connect(settings.nats_url)
        try:
            # Published back to back, as ranking does when a batch of marks lands.
            for version in range(1, BURST + 1):
                await connection.publish(subjects.standings(SKILL), snapshot(version))
            await connection.flush()
        finally:
            await connection.close()
        versions: list[int] = []
        while not versions or versions[-1] < BURST:
            message = json.loads(await asyncio.wait_for(screen.recv(), 10))
            versions.append(message["version"])
    assert versions == sorted(versions)
    # One fan-out round per burst that broadcast read at once, each with the newest frame.
    assert len(versions) <= BURST // 4, versions
