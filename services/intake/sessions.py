"""Who is signed in with which token: one session per token seen, kept in Redis so every
intake replica answers `GET /api/sessions` alike.

No request waits for Redis here. Each intake notes what it sees in memory (a dict update per
request) and writes what changed once a second in one round trip, merged with what the other
replicas wrote by a Lua script where the data lives. So a token costs at most one write a
second per replica, whatever its tablet sends, and a session is at most that much behind.

Sessions are what intake saw, not commands: they are not in the log, and a Redis that lost
them fills up again as the tablets go on. Whether a token is revoked comes from the log.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable
from typing import cast

import msgspec
import redis.asyncio as aioredis
from redis.exceptions import RedisError

from services.intake.projection import ProjectionUnavailableError
from shared.championship import Expert
from shared.plumbing import keys
from shared.plumbing.tokens import Claims

log = logging.getLogger("podium.intake")

FLUSH_EVERY_S = 1.0
# Sessions of a skill are forgotten two weeks after its last sighting: a championship's days.
KEEP_S = 14 * 24 * 3600
# Only the signed-in browser's own words, and never more than this.
USER_AGENT_MAX = 300

# KEYS[1]: the sessions hash of a skill; ARGV: a token's jti, what this intake saw of it since
# its last write (a Session in JSON), and how long to keep the hash. Several replicas see the
# same token: the earliest first sighting, the latest last one (with its user agent) and the
# latest mark win, whichever replica writes last. Absent fields stay absent (never JSON null,
# which cjson would give back as a value that cannot be compared).
MERGE = """
local seen = cjson.decode(ARGV[2])
local held = redis.call('HGET', KEYS[1], ARGV[1])
if held then
  held = cjson.decode(held)
  if held.first_seen < seen.first_seen then seen.first_seen = held.first_seen end
  if held.last_seen > seen.last_seen then
    seen.last_seen = held.last_seen
    seen.user_agent = held.user_agent
  end
  if (held.last_mark_at or 0) > (seen.last_mark_at or 0) then
    seen.last_mark = held.last_mark
    seen.last_mark_at = held.last_mark_at
  end
end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(seen))
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1
"""


class Session(msgspec.Struct, frozen=True, omit_defaults=True):
    """One token as intake saw it; times in milliseconds since the epoch."""

    person: str
    jti: str
    issued: int
    expires: int
    first_seen: int
    last_seen: int
    user_agent: str = ""
    last_mark: str | None = None
    last_mark_at: int | None = None


def merged(older: Session, newer: Session) -> Session:
    """Two sightings of one token by this replica, as the Lua script merges them in Redis."""
    mark = newer if (newer.last_mark_at or 0) >= (older.last_mark_at or 0) else older
    return msgspec.structs.replace(
        newer,
        first_seen=min(older.first_seen, newer.first_seen),
        last_mark=mark.last_mark,
        last_mark_at=mark.last_mark_at,
    )


class Sessions:
    def __init__(self, redis: aioredis.Redis, clock: Callable[[], float] = time.time) -> None:
        self.redis = redis
        self.clock = clock
        # jti -> (the Redis key of its person's skill, what was seen since the last write)
        self.pending: dict[str, tuple[str, Session]] = {}
        self._merge = redis.register_script(MERGE)
        self._decoder = msgspec.json.Decoder(Session)

    def seen(self, expert: Expert, claims: Claims, user_agent: str) -> None:
        now = round(self.clock() * 1000)
        key = keys.sessions(expert.skill)
        held = self.pending.get(claims.jti)
        if held is None:
            session = Session(
                person=expert.id,
                jti=claims.jti,
                issued=claims.issued_ms,
                expires=round(claims.exp * 1000),
                first_seen=now,
                last_seen=now,
                user_agent=user_agent[:USER_AGENT_MAX],
            )
        else:
            session = msgspec.structs.replace(
                held[1], last_seen=now, user_agent=user_agent[:USER_AGENT_MAX]
            )
        self.pending[claims.jti] = (key, session)

    def marked(self, claims: Claims, mark_id: str) -> None:
        """The token stored a mark (seen first, by the sign-in of the same request)."""
        held = self.pending.get(claims.jti)
        if held is not None:
            now = round(self.clock() * 1000)
            session = msgspec.structs.replace(held[1], last_mark=mark_id, last_mark_at=now)
            self.pending[claims.jti] = (held[0], session)

    async def flush(self) -> None:
        """Write what was seen since the last flush; kept for the next one if Redis fails."""
        if not self.pending:
            return
        taken, self.pending = self.pending, {}
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                for jti, (key, session) in taken.items():
                    args: list[bytes | str | int] = [jti, msgspec.json.encode(session), KEEP_S]
                    await self._merge(keys=[key], args=args, client=pipe)
                await pipe.execute()
        except (RedisError, OSError) as error:
            for jti, (key, session) in taken.items():
                newer = self.pending.get(jti)
                self.pending[jti] = (key, merged(session, newer[1]) if newer else session)
            raise ProjectionUnavailableError(str(error) or type(error).__name__) from error

    async def run(self) -> None:
        """Flush once a second until cancelled."""
        while True:
            await asyncio.sleep(FLUSH_EVERY_S)
            try:
                await self.flush()
            except ProjectionUnavailableError as error:
                log.warning("sessions not written; retrying", extra={"error": str(error)})

    async def of(self, skills: Iterable[str | None]) -> list[Session]:
        """Every session of these skills' people (None: the organizers), this replica's latest
        sightings included."""
        await self.flush()
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                for skill in skills:
                    pipe.hvals(keys.sessions(skill))
                found = cast(list[list[bytes]], await pipe.execute())
        except (RedisError, OSError) as error:
            raise ProjectionUnavailableError(str(error) or type(error).__name__) from error
        return [self._decoder.decode(raw) for values in found for raw in values]
