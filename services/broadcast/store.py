"""Broadcast's reads from Redis: the latest snapshots ranking stored."""

from __future__ import annotations

import redis.asyncio as aioredis

from shared.events import MedalsPublished, StandingsPublished, TickerPublished
from shared.snapshots import stored_medals, stored_standings, stored_ticker


class SnapshotStore:
    def __init__(self, redis: aioredis.Redis) -> None:
        self.redis = redis

    async def standings(self, skill: str) -> StandingsPublished | None:
        found = await stored_standings(self.redis, [skill])
        return found[0] if found else None

    async def all_standings(self, skills: list[str]) -> list[StandingsPublished]:
        return await stored_standings(self.redis, skills)

    async def medals(self) -> MedalsPublished | None:
        return await stored_medals(self.redis)

    async def ticker(self) -> TickerPublished | None:
        return await stored_ticker(self.redis)
