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


def empty_board(skill: str, version: int, epoch: str) -> Standings:
    """A live board with no rows yet: a snapshot's minimum, for tests of its way, not its
    content."""
    return Standings(
        skill=skill,
        version=version,
        epoch=epoch,
        visibility="live",
        provisional=True,
        updated_at="2025-09-10T10:00:00Z",
        progress=0.0,
        rows=(),
    )


def at_version(seq: int, board: dict[str, Any]) -> bool:
    """Whether a board from the read API includes the command of sequence `seq`."""
    return bool(board.get("version", 0) >= seq)
