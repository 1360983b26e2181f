"""Ranking's output: each snapshot published on its subject, as the bytes stored in Redis."""

from __future__ import annotations

import asyncio

from faststream.nats import NatsBroker
from prometheus_client import Counter

from shared import subjects
from shared.asyncapi_types import MedalsMessage, StandingsMessage, TickerMessage
from shared.events import MedalsPublished, StandingsPublished, TickerPublished


class Publisher:
    """Publishes through nats-py on the broker's connection: FastStream's publish would encode
    each snapshot again and run its middlewares on a mark's way to the screens."""

    def __init__(self, broker: NatsBroker, published: Counter) -> None:
        self.broker = broker
        self.published = published
        # Declared for the AsyncAPI document (`make asyncapi`) only.
        broker.publisher(
            subjects.standings(subjects.SKILL_PARAMETER),
            title="ranking:standings",
            description="A skill's standings after a change; broadcast fans them out to screens.",
            schema=StandingsMessage,
        )
        broker.publisher(
            subjects.MEDALS,
            title="ranking:medals",
            description="The medal table after any skill changed; broadcast fans it out.",
            schema=MedalsMessage,
        )
        broker.publisher(
            subjects.TICKER,
            title="ranking:ticker",
            description="The most recent accepted marks, after any were applied.",
            schema=TickerMessage,
        )

    async def __call__(
        self, snapshot: StandingsPublished | MedalsPublished | TickerPublished, data: bytes
    ) -> None:
        match snapshot:
            case StandingsPublished(standings=standings):
                subject = subjects.standings(standings.skill)
            case MedalsPublished():
                subject = subjects.MEDALS
            case TickerPublished():
                subject = subjects.TICKER
        await self.broker.connection.publish(subject, data)
        self.published.inc()
        # nats-py hands what was published to the socket from a task of its own, which runs
        # only when this one next waits: let it run now, or the board would wait behind what
        # ranking works out after it (the medal table, the ticker) before leaving.
        await asyncio.sleep(0)
