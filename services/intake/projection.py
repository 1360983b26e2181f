"""Ranking's projection in Redis, read for the marking page and the jury's panel.

Intake never writes here; `shared.marks_hash` reads the fields of a skill's marks hash.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from shared.events import MedalTable, Standings, medals_decoder
from shared.marks_hash import judgements_of, measurement_of, parse_field, score_of
from shared.plumbing import keys
from shared.snapshots import ask_standings, standings_from


class ProjectionUnavailableError(Exception):
    """Redis does not answer now; the page asks again a moment later."""


@dataclass(frozen=True)
class SkillMarks:
    """What stands for one skill, and the last stream sequence those marks include."""

    applied: int = 0
    # (competitor, aspect) -> mark
    measurements: dict[tuple[str, str], float] = field(default_factory=dict)
    # (competitor, aspect) -> {expert: score}
    judgements: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)
    # The latest snapshot (the jury's view), None before ranking published one.
    standings: Standings | None = None


def parse(applied: int, fields: dict[str, str], standings: Standings | None) -> SkillMarks:
    marks = SkillMarks(applied=applied, standings=standings)
    for name, value in fields.items():
        competitor, aspect, expert = parse_field(name)
        if expert is None:
            marks.measurements[(competitor, aspect)] = measurement_of(value)
        else:
            marks.judgements.setdefault((competitor, aspect), {})[expert] = score_of(value)
    return marks


class Projection:
    def __init__(self, redis: aioredis.Redis) -> None:
        self.redis = redis

    async def skill(self, skill: str) -> SkillMarks:
        """The skill's marks, applied sequence and snapshot, read in one transaction so they
        belong together."""
        try:
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.get(keys.applied(skill))
                pipe.hgetall(keys.marks(skill))
                ask_standings(pipe, skill)
                applied, raw, snapshot = await pipe.execute()
        except (RedisError, OSError) as error:
            raise ProjectionUnavailableError(str(error) or type(error).__name__) from error
        fields = {k.decode(): v.decode() for k, v in cast(dict[bytes, bytes], raw).items()}
        stored = standings_from(snapshot)
        return parse(int(applied or 0), fields, stored.standings if stored else None)

    async def judgements(self, skill: str) -> tuple[int, dict[tuple[str, str], dict[str, int]]]:
        """The skill's judgement scores alone, and the applied sequence they belong to: the
        judges' table needs neither the measurements nor the standings."""
        try:
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.get(keys.applied(skill))
                pipe.hgetall(keys.marks(skill))
                applied, raw = await pipe.execute()
        except (RedisError, OSError) as error:
            raise ProjectionUnavailableError(str(error) or type(error).__name__) from error
        return int(applied or 0), judgements_of(cast(dict[bytes, bytes], raw))

    async def applied(self, skill: str) -> int:
        """The last stream sequence the skill's marks include: whether anything changed since
        a reader's last look, for one small read instead of the whole hash."""
        try:
            found = await self.redis.get(keys.applied(skill))
        except (RedisError, OSError) as error:
            raise ProjectionUnavailableError(str(error) or type(error).__name__) from error
        return int(found or 0)

    async def results(self, skills: list[str]) -> tuple[dict[str, Standings], MedalTable | None]:
        """Every skill's latest standings and the medal table, as the jury sees them."""
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                for skill in skills:
                    ask_standings(pipe, skill)
                pipe.hget(keys.MEDALS, "data")
                *found, medals = await pipe.execute()
        except (RedisError, OSError) as error:
            raise ProjectionUnavailableError(str(error) or type(error).__name__) from error
        standings = {
            skill: stored.standings
            for skill, data in zip(skills, found, strict=True)
            if (stored := standings_from(data)) is not None
        }
        return standings, medals_decoder.decode(medals).medals if medals else None
