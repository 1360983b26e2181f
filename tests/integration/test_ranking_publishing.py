"""What ranking publishes after each board, against real JetStream and Redis: the medal table
only when it changed, the ticker after every applied mark, with boards kept in memory and, for
another replica's skills, read from Redis."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import msgspec
import nats
import redis.asyncio as aioredis
from nats.aio.msg import Msg

from services.ranking.app import build
from shared import subjects
from shared.events import (
    MedalsPublished,
    TickerPublished,
    medals_decoder,
    standings_decoder,
    ticker_decoder,
)
from shared.plumbing import keys
from shared.plumbing.settings import Settings
from tests.support.log import append, mark
from tests.support.people import demo, judge_for
from tests.support.services import serving

CHAMPIONSHIP = demo()
SKILL, OTHER = CHAMPIONSHIP.skills[0], CHAMPIONSHIP.skills[1]
FIRST = CHAMPIONSHIP.index.competitors_of(SKILL.id)[0]
THEIRS = CHAMPIONSHIP.index.competitors_of(OTHER.id)[0]
MEASURE = next(a for _, a in SKILL.aspects if a.kind == "measurement")
OTHER_MEASURE = next(a for _, a in OTHER.aspects if a.kind == "measurement")
WITHIN_S = 10.0


class Published:
    """Every medal table and ticker ranking publishes, in the order NATS delivers them."""

    def __init__(self) -> None:
        self.medals: list[MedalsPublished] = []
        self.tickers: list[TickerPublished] = []
        self.arrived = asyncio.Event()

    async def medal(self, message: Msg) -> None:
        self.medals.append(medals_decoder.decode(message.data))
        self.arrived.set()

    async def ticker(self, message: Msg) -> None:
        self.tickers.append(ticker_decoder.decode(message.data))
        self.arrived.set()

    async def ticker_with(self, seq: int) -> TickerPublished:
        """The first ticker whose newest mark is `seq` or later, waiting for it if need be."""
        async with asyncio.timeout(WITHIN_S):
            while True:
                found = [t for t in self.tickers if t.items and t.items[0].seq >= seq]
                if found:
                    return found[0]
                self.arrived.clear()
                await self.arrived.wait()


@contextlib.asynccontextmanager
async def listening(settings: Settings) -> AsyncIterator[Published]:
    connection = await nats.connect(settings.nats_url)
    published = Published()
    await connection.subscribe(subjects.MEDALS, cb=published.medal)
    await connection.subscribe(subjects.TICKER, cb=published.ticker)
    try:
        yield published
    finally:
        await connection.close()


async def test_the_medal_table_is_published_only_when_it_changed(settings: Settings) -> None:
    judge = judge_for(CHAMPIONSHIP, FIRST).id
    async with listening(settings) as published, serving(build(settings)):
        # The first mark gives FIRST a scale: a Best of Nation, so a new medal table.
        [first] = await append(
            settings.nats_url, mark("m1", FIRST.id, MEASURE.id, judge, 1.0, SKILL.id)
        )
        await published.ticker_with(first)
        tables = len(published.medals)
        assert tables >= 1
        assert FIRST.id in published.medals[-1].medals.best_of_nation[FIRST.member]
        # The same value again under a new id: a new board version and a ticker item, but no
        # medal moved. The medal table goes out before the ticker of the same flush, on the
        # same connection, so once that ticker is here a new table would be too.
        [again] = await append(
            settings.nats_url, mark("m2", FIRST.id, MEASURE.id, judge, 1.0, SKILL.id)
        )
        ticker = await published.ticker_with(again)
        assert [item.seq for item in ticker.items[:2]] == [again, first]
        assert len(published.medals) == tables
    client = aioredis.from_url(settings.redis_url)
    try:
        stored = await client.hget(keys.MEDALS, "data")
        board = await client.hget(keys.standings(SKILL.id), "data")
    finally:
        await client.aclose()
    assert stored is not None and board is not None
    assert medals_decoder.decode(stored) == published.medals[-1]
    assert standings_decoder.decode(board).standings.version == again


async def test_a_restarted_ranking_compares_with_the_stored_table(settings: Settings) -> None:
    """Memory is empty after a restart: the table stored before is what a new one is
    compared with, so an unchanged table is not published again."""
    judge = judge_for(CHAMPIONSHIP, FIRST).id
    async with serving(build(settings)), listening(settings) as published:
        [first] = await append(
            settings.nats_url, mark("r1", FIRST.id, MEASURE.id, judge, 1.0, SKILL.id)
        )
        await published.ticker_with(first)
    async with listening(settings) as published, serving(build(settings)):
        [again] = await append(
            settings.nats_url, mark("r2", FIRST.id, MEASURE.id, judge, 1.0, SKILL.id)
        )
        await published.ticker_with(again)
        assert published.medals == []


async def test_two_replicas_each_publish_a_table_over_both_halves(settings: Settings) -> None:
    """A replica knows only its own boards: the other's it reads from Redis for the table."""
    mine = msgspec.structs.replace(settings, ranking_skills=(SKILL.id,))
    rest = msgspec.structs.replace(
        settings, ranking_skills=tuple(s.id for s in CHAMPIONSHIP.skills[1:])
    )
    async with listening(settings) as published, serving(build(mine)), serving(build(rest)):
        [theirs] = await append(
            settings.nats_url,
            mark(
                "t1", THEIRS.id, OTHER_MEASURE.id, judge_for(CHAMPIONSHIP, THEIRS).id, 1.0, OTHER.id
            ),
        )
        await published.ticker_with(theirs)
        [first] = await append(
            settings.nats_url,
            mark("t2", FIRST.id, MEASURE.id, judge_for(CHAMPIONSHIP, FIRST).id, 1.0, SKILL.id),
        )
        await published.ticker_with(first)
        best = published.medals[-1].medals.best_of_nation
        assert FIRST.id in best[FIRST.member]
        assert THEIRS.id in best[THEIRS.member]
        ticker = await published.ticker_with(first)
        assert {item.seq for item in ticker.items} >= {theirs, first}
