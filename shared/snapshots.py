"""Reading the snapshots ranking stores in Redis: ranking, broadcast, intake and `podium export`
read them here, and only here.

Each is a hash (`shared.plumbing.keys`) whose `data` field holds the snapshot's JSON exactly as it
was published, next to its `version`.
"""

from __future__ import annotations

import redis.asyncio as aioredis
from redis.asyncio.client import Pipeline

from shared.events import (
    MedalsPublished,
    StandingsPublished,
    TickerPublished,
    medals_decoder,
    standings_decoder,
    ticker_decoder,
)
from shared.plumbing import keys

DATA = "data"


def ask_standings(pipe: Pipeline, skill: str) -> None:
    """Queue the reading of a skill's snapshot; `standings_from` decodes the answer."""
    pipe.hget(keys.standings(skill), DATA)


def standings_from(data: bytes | None) -> StandingsPublished | None:
    return None if data is None else standings_decoder.decode(data)


async def stored_standings(redis: aioredis.Redis, skills: list[str]) -> list[StandingsPublished]:
    """The latest snapshot of each skill that has one, in one round trip."""
    found, _ = await stored_boards(redis, skills, medals=False)
    return found


async def stored_boards(
    redis: aioredis.Redis, skills: list[str], medals: bool = True
) -> tuple[list[StandingsPublished], MedalsPublished | None]:
    """Every skill's stored snapshot (those that have one) and the medal table, in one round
    trip."""
    async with redis.pipeline(transaction=False) as pipe:
        for skill in skills:
            ask_standings(pipe, skill)
        if medals:
            pipe.hget(keys.MEDALS, DATA)
        answers = await pipe.execute()
    table = answers.pop() if medals else None
    boards = [standings_decoder.decode(data) for data in answers if data is not None]
    return boards, None if table is None else medals_decoder.decode(table)


async def stored_medals(redis: aioredis.Redis) -> MedalsPublished | None:
    data = await redis.hget(keys.MEDALS, DATA)
    return None if data is None else medals_decoder.decode(data)


async def stored_ticker(redis: aioredis.Redis) -> TickerPublished | None:
    data = await redis.hget(keys.TICKER_LATEST, DATA)
    return None if data is None else ticker_decoder.decode(data)
