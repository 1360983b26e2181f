"""Reading the snapshots ranking stored in Redis; ranking and broadcast both need them."""

from __future__ import annotations

import redis.asyncio as aioredis

from shared import keys
from shared.events import StandingsPublished, snapshot_decoder


async def stored_standings(redis: aioredis.Redis, skills: list[str]) -> list[StandingsPublished]:
    """The latest snapshot of each skill that has one, in one round trip."""
    async with redis.pipeline(transaction=False) as pipe:
        for skill in skills:
            pipe.hget(keys.standings(skill), "data")
        found = await pipe.execute()
    return [snapshot_decoder.decode(data) for data in found if data is not None]
