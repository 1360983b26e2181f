"""Ranking against real JetStream and Redis: in order, once, and rebuilt from the log."""

from __future__ import annotations

import asyncio

import msgspec
import nats
import redis.asyncio as aioredis
from nats.aio.msg import Msg

from services.ranking.app import build
from services.ranking.store import RankingStore
from shared import subjects
from shared.events import (
    CeremonyStepped,
    CriterionLocked,
    MarkRecorded,
    RowRevealed,
    ScreenAssigned,
    ShowSkill,
    Standings,
    StandingsPublished,
    VisibilityChanged,
    standings_decoder,
)
from shared.marks_hash import measurement_field
from shared.plumbing import keys
from shared.plumbing.clock import iso_now
from shared.plumbing.settings import Settings
from shared.snapshots import stored_standings
from tests.support.eventually import eventually
from tests.support.log import append, mark
from tests.support.people import demo, judge_for
from tests.support.rows import total_of
from tests.support.services import serving

CHAMPIONSHIP = demo()
SKILL = CHAMPIONSHIP.skills[0]
FIRST, SECOND = CHAMPIONSHIP.index.competitors_of(SKILL.id)[:2]
MEASURE = next(a for _, a in SKILL.aspects if a.kind == "measurement")
JUDGED = next(a for _, a in SKILL.aspects if a.kind == "judgement")


async def standings_in_redis(settings: Settings, skill: str = SKILL.id) -> Standings | None:
    client = aioredis.from_url(settings.redis_url)
    try:
        found = await stored_standings(client, [skill])
        return found[0].standings if found else None
    finally:
        await client.aclose()


async def wait_for_version(
    settings: Settings, version: int, within: float = 10, skill: str = SKILL.id
) -> Standings:
    standings = await eventually(
        lambda: standings_in_redis(settings, skill),
        lambda standings: standings is not None and standings.version >= version,
        within=within,
        what=f"standings of {skill} at version {version}",
    )
    assert standings is not None
    return standings


async def acked(settings: Settings) -> int:
    """The last sequence ranking's durable consumer acked."""
    connection = await nats.connect(settings.nats_url)
    try:
        info = await connection.jetstream().consumer_info(subjects.COMMANDS_STREAM, "ranking")
        return info.ack_floor.stream_seq if info.ack_floor and info.ack_floor.stream_seq else 0
    finally:
        await connection.close()


def totals(standings: Standings) -> dict[str, float]:
    return {row.competitor: total_of(row) for row in standings.rows}


async def test_marks_reach_the_standings_and_a_snapshot_is_published(settings: Settings) -> None:
    connection = await nats.connect(settings.nats_url)
    published: asyncio.Queue[StandingsPublished] = asyncio.Queue()

    async def collect(message: Msg) -> None:
        await published.put(standings_decoder.decode(message.data))

    await connection.subscribe(subjects.standings(SKILL.id), cb=collect)
    try:
        async with serving(build(settings)):
            empty = await asyncio.wait_for(published.get(), 5)
            assert empty.standings.version == 0
            assert len(empty.standings.rows) == len(CHAMPIONSHIP.index.competitors_of(SKILL.id))
            judges = [judge_for(CHAMPIONSHIP, FIRST, n) for n in range(3)]
            marks = [mark("m1", FIRST.id, MEASURE.id, judges[0].id, 1.25, SKILL.id)]
            marks += [
                mark(f"j{n}", FIRST.id, JUDGED.id, judge.id, 2, SKILL.id)
                for n, judge in enumerate(judges)
            ]
            seqs = await append(settings.nats_url, *marks)
            standings = await wait_for_version(settings, seqs[-1])
            snapshot = await asyncio.wait_for(published.get(), 5)
            while snapshot.standings.version < seqs[-1]:
                snapshot = await asyncio.wait_for(published.get(), 5)
    finally:
        await connection.close()
    expected = round(1.25 + 2 / 3 * JUDGED.max_mark, 2)
    assert totals(standings)[FIRST.id] == expected
    assert standings.rows[0].competitor == FIRST.id and standings.rows[0].rank == 1
    assert snapshot.standings == standings
    assert "j2" in snapshot.marks


async def test_a_redelivered_older_mark_never_overwrites_a_newer_one(settings: Settings) -> None:
    judge = judge_for(CHAMPIONSHIP, FIRST).id
    async with serving(build(settings)):
        await wait_for_version(settings, 0)
    seqs = await append(
        settings.nats_url,
        mark("old", FIRST.id, MEASURE.id, judge, 1.0, SKILL.id),
        mark("new", FIRST.id, MEASURE.id, judge, 2.0, SKILL.id),
    )
    # As if a ranking had applied both and died before acking: the log redelivers them.
    client = aioredis.from_url(settings.redis_url)
    store = RankingStore(client)
    field = measurement_field(FIRST.id, MEASURE.id)
    await store.apply(SKILL.id, seqs[0], field, "1.0")
    await store.apply(SKILL.id, seqs[1], field, "2.0")
    await client.aclose()
    async with serving(build(settings)):
        # Each redelivered mark is applied (or found applied) before it is acked.
        await eventually(lambda: acked(settings), lambda seq: seq >= seqs[1], what="redelivery")
        standings = await wait_for_version(settings, seqs[1])
    assert totals(standings)[FIRST.id] == 2.0


async def test_restart_counts_nothing_twice(settings: Settings) -> None:
    judges = [judge_for(CHAMPIONSHIP, SECOND, n).id for n in range(3)]
    async with serving(build(settings)):
        seqs = await append(
            settings.nats_url,
            *[mark(f"s{n}", SECOND.id, JUDGED.id, j, 3, SKILL.id) for n, j in enumerate(judges)],
        )
        before = await wait_for_version(settings, seqs[-1])
    async with serving(build(settings)):
        more = await append(
            settings.nats_url, mark("s9", FIRST.id, MEASURE.id, judges[0], 0.5, SKILL.id)
        )
        after = await wait_for_version(settings, more[-1])
    assert totals(after)[SECOND.id] == totals(before)[SECOND.id] == JUDGED.max_mark
    assert after.epoch == before.epoch


async def test_an_emptied_redis_is_rebuilt_from_the_log_with_a_new_epoch(
    settings: Settings,
) -> None:
    judge = judge_for(CHAMPIONSHIP, FIRST).id
    async with serving(build(settings)):
        seqs = await append(
            settings.nats_url,
            mark("a", FIRST.id, MEASURE.id, judge, 1.0, SKILL.id),
            mark("b", SECOND.id, MEASURE.id, judge, 0.5, SKILL.id),
            mark("c", FIRST.id, MEASURE.id, judge, 1.5, SKILL.id),
        )
        before = await wait_for_version(settings, seqs[-1])
    client = aioredis.from_url(settings.redis_url)
    await client.flushall()
    await client.aclose()
    async with serving(build(settings)):
        after = await wait_for_version(settings, seqs[-1])
    assert after.epoch != before.epoch
    assert after.rows == before.rows
    assert after.version == before.version


async def test_two_replicas_share_the_skills_each_applying_only_its_own(settings: Settings) -> None:
    other = CHAMPIONSHIP.skills[1]
    rest = [s.id for s in CHAMPIONSHIP.skills[1:]]
    first_half = msgspec.structs.replace(settings, ranking_skills=(SKILL.id,))
    second_half = msgspec.structs.replace(settings, ranking_skills=tuple(rest))
    other_competitor = CHAMPIONSHIP.index.competitors_of(other.id)[0]
    other_aspect = next(a for _, a in other.aspects if a.kind == "measurement")
    async with serving(build(first_half)), serving(build(second_half)):
        seqs = await append(
            settings.nats_url,
            mark("p1", FIRST.id, MEASURE.id, judge_for(CHAMPIONSHIP, FIRST).id, 1.0, SKILL.id),
            mark(
                "p2",
                other_competitor.id,
                other_aspect.id,
                judge_for(CHAMPIONSHIP, other_competitor).id,
                1.0,
                other.id,
            ),
        )
        mine = await wait_for_version(settings, seqs[0])
        theirs = await wait_for_version(settings, seqs[1], skill=other.id)
    assert totals(mine)[FIRST.id] == 1.0
    assert totals(theirs)[other_competitor.id] == 1.0


async def test_jury_commands_show_in_the_standings(settings: Settings) -> None:
    chief = next(e for e in CHAMPIONSHIP.experts if e.role == "chief" and e.skill == SKILL.id).id
    at = iso_now()
    async with serving(build(settings)):
        seqs = await append(
            settings.nats_url,
            CriterionLocked("j1", SKILL.id, "A", chief, at),
            CriterionLocked("j1b", SKILL.id, "B", chief, at, "B1"),
            VisibilityChanged("j2", SKILL.id, "frozen", chief, at),
            RowRevealed("j3", SKILL.id, 1, chief, at),
        )
        frozen = await wait_for_version(settings, seqs[-1])
        [last] = await append(
            settings.nats_url, VisibilityChanged("j4", SKILL.id, "final", chief, at)
        )
        final = await wait_for_version(settings, last)
    assert (frozen.visibility, frozen.provisional, frozen.locked, frozen.revealed) == (
        "frozen",
        True,
        ("A",),
        1,
    )
    assert frozen.locked_sub_criteria == ("B1",)
    assert (final.visibility, final.provisional, final.revealed) == ("final", False, 0)


async def test_a_redis_older_than_the_log_is_rebuilt(settings: Settings) -> None:
    """As after restoring Redis from an old copy: the consumer acked what Redis lacks."""
    judge = judge_for(CHAMPIONSHIP, FIRST).id
    async with serving(build(settings)):
        first = await append(
            settings.nats_url, mark("o1", FIRST.id, MEASURE.id, judge, 1.0, SKILL.id)
        )
        old = await wait_for_version(settings, first[-1])
        client = aioredis.from_url(settings.redis_url)
        copy = {key: await client.dump(key) for key in await client.keys("*")}
        later = await append(
            settings.nats_url, mark("o2", SECOND.id, MEASURE.id, judge, 2.0, SKILL.id)
        )
        current = await wait_for_version(settings, later[-1])
    await client.flushall()
    for key, value in copy.items():
        assert value is not None
        await client.restore(key, 0, value)
    await client.aclose()
    async with serving(build(settings)):
        rebuilt = await wait_for_version(settings, later[-1])
    assert totals(old)[SECOND.id] == 0.0
    assert rebuilt.rows == current.rows
    assert rebuilt.epoch != current.epoch


async def passed(settings: Settings, seq: int) -> None:
    client = aioredis.from_url(settings.redis_url)

    async def read() -> int:
        return int(await client.get(keys.PASSED) or 0)

    try:
        await eventually(read, lambda at: at >= seq, within=10, what=f"ranking passed over {seq}")
    finally:
        await client.aclose()


async def test_the_crews_commands_last_in_the_log_cause_no_rebuild_at_a_restart(
    settings: Settings,
) -> None:
    judge = judge_for(CHAMPIONSHIP, FIRST).id
    organizer = next(e for e in CHAMPIONSHIP.experts if e.role == "organizer").id

    def measured(mark_id: str, competitor: str, value: float) -> MarkRecorded:
        return mark(mark_id, competitor, MEASURE.id, judge, value, SKILL.id)

    async with serving(build(settings)):
        [first] = await append(settings.nats_url, measured("a", FIRST.id, 1))
        before = await wait_for_version(settings, first)
        *_, last = await append(
            settings.nats_url,
            ScreenAssigned("s1", "hall-a", ShowSkill(SKILL.id), organizer, iso_now()),
            CeremonyStepped("c1", 1, organizer, iso_now()),
        )
        await passed(settings, last)
    async with serving(build(settings)):
        [more] = await append(settings.nats_url, measured("b", SECOND.id, 2))
        after = await wait_for_version(settings, more)
    assert after.epoch == before.epoch  # no rebuild: Redis had followed the log to its end
    assert totals(after) == {**totals(before), SECOND.id: 2.0}

    # Rebuilt from a log that ends with the crew's command; started again: no second rebuild.
    client = aioredis.from_url(settings.redis_url)
    await client.flushall()
    await client.aclose()
    await append(settings.nats_url, CeremonyStepped("c2", 2, organizer, iso_now()))
    async with serving(build(settings)):
        rebuilt = await wait_for_version(settings, more)
    async with serving(build(settings)):
        [final] = await append(settings.nats_url, measured("c", FIRST.id, 3))
        again = await wait_for_version(settings, final)
    assert rebuilt.epoch != after.epoch and again.epoch == rebuilt.epoch
    assert totals(again)[FIRST.id] == 3.0
