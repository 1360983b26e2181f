"""Ranking's projection in Redis: each skill's marks, applied sequence, epoch and snapshot."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, replace
from enum import Enum
from typing import cast

import msgspec
import redis.asyncio as aioredis

from services.ranking.folding import marks_of, set_field
from services.ranking.rules import Marks
from shared.control import Control
from shared.control import decoder as control_decoder
from shared.control import encoder as control_encoder
from shared.events import (
    MedalsPublished,
    StandingsPublished,
    StandingsRow,
    TickerItem,
    ticker_items_decoder,
)
from shared.plumbing import keys
from shared.snapshots import stored_boards

# Applies one command (field, value pairs of one hash; an empty value deletes) and records its
# sequence in one step, so a redelivered message is seen as applied exactly when its effect is
# in the state. Returns -1 when the state was lost (no epoch: Redis was emptied; or Redis holds
# less than this ranking already applied: it came back from an older copy), 0 when already
# applied, 1 when applied now. ARGV: the sequence, the highest this ranking saw applied, pairs.
_APPLY = """
if redis.call('EXISTS', KEYS[3]) == 0 then return -1 end
local applied = tonumber(redis.call('GET', KEYS[1]) or '0')
if applied < tonumber(ARGV[2]) then return -1 end
if tonumber(ARGV[1]) <= applied then return 0 end
for i = 3, #ARGV, 2 do
  if ARGV[i + 1] == '' then
    redis.call('HDEL', KEYS[2], ARGV[i])
  else
    redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
  end
end
redis.call('SET', KEYS[1], ARGV[1])
return 1
"""

# Stores each snapshot (KEYS[i]; ARGV: version and data of each in turn) unless a newer one is
# already there, so versions only grow. Returns how many were stored.
_SAVE = """
local stored = 0
for i, key in ipairs(KEYS) do
  local current = tonumber(redis.call('HGET', key, 'version') or '-1')
  if tonumber(ARGV[2 * i - 1]) >= current then
    redis.call('HSET', key, 'version', ARGV[2 * i - 1], 'data', ARGV[2 * i])
    stored = stored + 1
  end
end
return stored
"""


class Applied(Enum):
    NOW = 1
    BEFORE = 0
    STATE_LOST = -1


@dataclass(frozen=True)
class SkillState:
    """Everything a snapshot of one skill is made from, read at one moment."""

    marks: Marks
    control: Control
    frozen: tuple[StandingsRow, ...] | None
    applied: int
    epoch: str | None


rows_encoder = msgspec.json.Encoder()
ticker_encoder = msgspec.json.Encoder()
TICKER_LENGTH = 30
rows_decoder = msgspec.json.Decoder(tuple[StandingsRow, ...])


class RankingStore:
    def __init__(self, redis: aioredis.Redis) -> None:
        self.redis = redis
        self._apply = redis.register_script(_APPLY)
        self._save = redis.register_script(_SAVE)
        # Per skill, the highest sequence this process saw applied: Redis holding less means
        # it lost writes (restored from an older copy, or a power cut before its fsync).
        self._known: dict[str, int] = {}
        # Per skill, its state as this process last read it, with every mark it applied
        # since. Ranking is the only writer of a skill's state, so this equals Redis's and
        # spares reading and decoding the whole skill for each snapshot (a millisecond of a
        # mark's way to the screens). Anything unexpected drops it, and Redis is read again.
        self._states: dict[str, SkillState] = {}

    async def apply(self, skill: str, seq: int, field: str, value: str | None) -> Applied:
        """Set (or with None, delete) one mark's field, once per sequence."""
        try:
            applied = await self._applied(skill, seq, keys.marks(skill), {field: value})
        except BaseException:
            # The script may have run with its answer lost: Redis is read again.
            self._states.pop(skill, None)
            raise
        state = self._states.get(skill)
        if applied is Applied.NOW and state is not None and seq > state.applied:
            set_field(state.marks, field, value)
            self._states[skill] = replace(state, applied=seq)
        else:
            # Applied before (a redelivery) or state lost: what Redis holds is not known here.
            self._states.pop(skill, None)
        return applied

    async def apply_control(
        self, skill: str, seq: int, state: Control, frozen: tuple[StandingsRow, ...] | None
    ) -> Applied:
        """The jury's state, and the board the public keeps seeing while the skill is frozen."""
        fields = {"state": control_encoder.encode(state).decode(), "frozen": None}
        if frozen is not None:
            fields["frozen"] = rows_encoder.encode(frozen).decode()
        # Jury commands are rare: the next snapshot reads the skill from Redis again.
        self._states.pop(skill, None)
        return await self._applied(skill, seq, keys.control(skill), fields)

    async def apply_nothing(self, skill: str, seq: int) -> Applied:
        """Only the sequence: a command that changes nothing of the skill's state."""
        self._states.pop(skill, None)
        return await self._applied(skill, seq, keys.control(skill), {})

    async def _applied(
        self, skill: str, seq: int, hash_key: str, fields: dict[str, str | None]
    ) -> Applied:
        pairs = [item for field, value in fields.items() for item in (field, value or "")]
        known = self._known.get(skill, 0)
        result = Applied(
            int(
                await self._apply(
                    keys=[keys.applied(skill), hash_key, keys.epoch(skill)],
                    args=[seq, known, *pairs],
                )
            )
        )
        if result is not Applied.STATE_LOST:
            self._known[skill] = max(known, seq)
        return result

    async def state(self, skill: str) -> SkillState:
        """A skill's marks, jury state, frozen board, sequence and epoch.

        The caller must not change what it gets: it is kept for the next snapshot.
        """
        known = self._states.get(skill)
        if known is None:
            known = self._states[skill] = await self._read_state(skill)
        return known

    async def _read_state(self, skill: str) -> SkillState:
        """The skill's state as Redis holds it, in one round trip."""
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hgetall(keys.marks(skill))
            pipe.hmget(keys.control(skill), ["state", "frozen"])
            pipe.get(keys.applied(skill))
            pipe.get(keys.epoch(skill))
            raw, (state, frozen), applied, epoch = await pipe.execute()
        return SkillState(
            marks=marks_of({field.decode(): value.decode() for field, value in raw.items()}),
            control=Control() if state is None else control_decoder.decode(state),
            frozen=None if frozen is None else rows_decoder.decode(frozen),
            applied=int(applied or 0),
            epoch=None if epoch is None else epoch.decode(),
        )

    async def frozen(self, skill: str) -> tuple[StandingsRow, ...] | None:
        rows = cast(bytes | None, await self.redis.hget(keys.control(skill), "frozen"))
        return None if rows is None else rows_decoder.decode(rows)

    async def control(self, skill: str) -> Control:
        state = cast(bytes | None, await self.redis.hget(keys.control(skill), "state"))
        return Control() if state is None else control_decoder.decode(state)

    async def marks(self, skill: str) -> Marks:
        raw = cast(dict[bytes, bytes], await self.redis.hgetall(keys.marks(skill)))
        return marks_of({field.decode(): value.decode() for field, value in raw.items()})

    async def applied_seq(self, skill: str) -> int:
        return int(await self.redis.get(keys.applied(skill)) or 0)

    async def pass_over(self, seq: int) -> None:
        """A command that changes no skill was handled: Redis has followed the log to it.
        Commands come one at a time, in order, so the last written is the highest."""
        await self.redis.set(keys.PASSED, seq)

    async def passed(self) -> int:
        return int(await self.redis.get(keys.PASSED) or 0)

    async def forget_passed(self) -> None:
        await self.redis.delete(keys.PASSED)

    async def remember_applied(self, skills: list[str]) -> None:
        """Take what Redis holds now as applied, so any later loss of writes is noticed even
        for a skill this process has not applied a command to yet."""
        for skill in skills:
            self._known[skill] = await self.applied_seq(skill)

    async def epoch(self, skill: str) -> str | None:
        value = cast(bytes | None, await self.redis.get(keys.epoch(skill)))
        return value.decode() if value is not None else None

    async def start_epoch(self, skill: str) -> str:
        """Forget the skill's state and begin a new epoch; a replay of the log refills it."""
        epoch = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + "-" + secrets.token_hex(3)
        self._states.pop(skill, None)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.delete(
                keys.marks(skill), keys.control(skill), keys.applied(skill), keys.standings(skill)
            )
            pipe.set(keys.epoch(skill), epoch)
            await pipe.execute()
        return epoch

    async def restore(
        self,
        skill: str,
        marks: dict[str, str],
        state: Control,
        frozen: tuple[StandingsRow, ...] | None,
        applied: int,
    ) -> None:
        """Write a replayed skill's whole state at once (its epoch was started before)."""
        self._states.pop(skill, None)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.delete(keys.marks(skill), keys.control(skill), keys.standings(skill))
            if marks:
                pipe.hset(keys.marks(skill), mapping=marks)  # type: ignore[arg-type]
            pipe.hset(keys.control(skill), "state", control_encoder.encode(state))
            if frozen is not None:
                pipe.hset(keys.control(skill), "frozen", rows_encoder.encode(frozen))
            pipe.set(keys.applied(skill), applied)
            await pipe.execute()

    async def save(self, skill: str, version: int, data: bytes) -> bool:
        return bool(await self._save(keys=[keys.standings(skill)], args=[version, data]))

    async def boards(
        self, skills: list[str]
    ) -> tuple[list[StandingsPublished], MedalsPublished | None]:
        """Every skill's stored standings and the stored medal table, in one round trip."""
        return await stored_boards(self.redis, skills)

    async def advance(
        self, items: list[TickerItem], medals: bool
    ) -> tuple[tuple[TickerItem, ...], int | None, int | None]:
        """In one round trip: the newest marks pushed onto the ticker's list and the list read
        back, newest first; the ticker's next version if there were marks; the medal table's
        next version if `medals`. (The list is shared with other replicas, hence read back.)"""
        async with self.redis.pipeline(transaction=True) as pipe:
            for item in items:
                pipe.lpush(keys.TICKER, ticker_encoder.encode(item))
            if items:
                pipe.ltrim(keys.TICKER, 0, TICKER_LENGTH - 1)
                pipe.lrange(keys.TICKER, 0, TICKER_LENGTH - 1)
                pipe.incr(keys.TICKER_VERSION)
            if medals:
                pipe.incr(keys.MEDALS_VERSION)
            answers = await pipe.execute() if items or medals else []
        medals_version = int(answers.pop()) if medals else None
        if not items:
            return (), None, medals_version
        stored, ticker_version = answers[-2:]
        ticker = tuple(ticker_items_decoder.decode(raw) for raw in stored)
        return ticker, int(ticker_version), medals_version

    async def save_latest(
        self, medals: tuple[int, bytes] | None, ticker: tuple[int, bytes] | None
    ) -> int:
        """The medal table's and the ticker's snapshots, each (version, data), in one round
        trip; as with `save`, one older than the stored one is not stored. Returns how many
        were stored."""
        latest = [(k, v) for k, v in ((keys.MEDALS, medals), (keys.TICKER_LATEST, ticker)) if v]
        if not latest:
            return 0
        return int(
            await self._save(
                keys=[key for key, _ in latest], args=[item for _, v in latest for item in v]
            )
        )
