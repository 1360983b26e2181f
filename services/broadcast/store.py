"""Broadcast's reads from Redis: the latest snapshot ranking stored for each skill."""

from __future__ import annotations

import redis.asyncio as aioredis

from shared import keys
from shared.events import (
    MedalsPublished,
    StandingsPublished,
    TickerPublished,
    medals_decoder,
    snapshot_decoder,
    ticker_decoder,
)
from shared.snapshots import stored_standings


class SnapshotStore:
    def __init__(self, redis: aioredis.Redis) -> None:
        self.redis = redis

    async def standings(self, skill: str) -> StandingsPublished | None:
        data = await self.redis.hget(keys.standings(skill), "data")
        return None if data is None else snapshot_decoder.decode(data)

    async def all_standings(self, skills: list[str]) -> list[StandingsPublished]:
        return await stored_standings(self.redis, skills)

    async def medals(self) -> MedalsPublished | None:
        data = await self.redis.hget(keys.MEDALS, "data")
        return None if data is None else medals_decoder.decode(data)

    async def ticker(self) -> TickerPublished | None:
        data = await self.redis.hget(keys.TICKER_LATEST, "data")
        return None if data is None else ticker_decoder.decode(data)
