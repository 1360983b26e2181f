"""The boards ranking stored in Redis, read as broadcast reads them."""

from __future__ import annotations

from typing import Any

import redis.asyncio as aioredis

from shared.events import Standings
from shared.snapshots import stored_standings
from tests.support.people import demo

SKILLS = [skill.id for skill in demo().skills]


async def stored_boards(redis_url: str) -> dict[str, Standings]:
    """Every skill's stored standings, by skill id (skills without a board yet are absent)."""
    client = aioredis.from_url(redis_url)
    try:
        return {s.standings.skill: s.standings for s in await stored_standings(client, SKILLS)}
    finally:
        await client.aclose()


def at_version(seq: int, board: dict[str, Any]) -> bool:
    """Whether a board from the read API includes the command of sequence `seq`."""
    return bool(board.get("version", 0) >= seq)
