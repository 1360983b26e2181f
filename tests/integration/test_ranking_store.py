"""The skill state ranking keeps in memory between snapshots is always what Redis holds."""

from __future__ import annotations

import random

import redis.asyncio as aioredis

from services.ranking.store import Applied, RankingStore
from shared.control import Control
from shared.marks_hash import judgement_field, measurement_field
from shared.plumbing.settings import Settings
from tests.support.people import demo

CHAMPIONSHIP = demo()
SKILL = CHAMPIONSHIP.skills[0]
COMPETITORS = [c.id for c in CHAMPIONSHIP.index.competitors_of(SKILL.id)][:3]
ASPECTS = [a.id for _, a in SKILL.aspects][:4]
EXPERTS = ["E-1", "E-2", "E-3"]


def random_write(rng: random.Random) -> tuple[str, str | None]:
    """A field of the marks hash and what a mark writes there (None: a withdrawal)."""
    competitor, aspect = rng.choice(COMPETITORS), rng.choice(ASPECTS)
    if rng.random() < 0.5:
        value = None if rng.random() < 0.3 else repr(round(rng.uniform(0, 10), 2))
        return measurement_field(competitor, aspect), value
    value = None if rng.random() < 0.3 else str(rng.randint(0, 3))
    return judgement_field(competitor, aspect, rng.choice(EXPERTS)), value


async def test_the_kept_state_follows_every_write_as_redis_does(settings: Settings) -> None:
    client = aioredis.from_url(settings.redis_url)
    rng = random.Random(2025)
    try:
        store = RankingStore(client)
        await store.start_epoch(SKILL.id)
        for seq in range(1, 301):
            if seq % 50 == 0:
                # A redelivery of a command applied before, and a jury command, now and then.
                assert await store.apply(SKILL.id, seq - 1, *random_write(rng)) is Applied.BEFORE
                await store.apply_control(SKILL.id, seq, Control(locked=frozenset({"A"})), None)
            else:
                await store.state(SKILL.id)  # kept from here on
                assert await store.apply(SKILL.id, seq, *random_write(rng)) is Applied.NOW
            in_redis = await RankingStore(client).state(SKILL.id)
            assert await store.state(SKILL.id) == in_redis, f"after seq {seq}"
        assert (await store.state(SKILL.id)).applied == 300
    finally:
        await client.aclose()


async def test_a_lost_state_is_read_again_rather_than_kept(settings: Settings) -> None:
    client = aioredis.from_url(settings.redis_url)
    try:
        store = RankingStore(client)
        await store.start_epoch(SKILL.id)
        field = measurement_field(COMPETITORS[0], ASPECTS[0])
        assert await store.apply(SKILL.id, 1, field, "1.5") is Applied.NOW
        assert (await store.state(SKILL.id)).applied == 1
        await client.flushdb()
        assert await store.apply(SKILL.id, 2, field, "2.5") is Applied.STATE_LOST
        assert (await store.state(SKILL.id)).applied == 0
    finally:
        await client.aclose()
