"""Broadcast's handlers: each snapshot from ranking fanned out to the screens, everything again
from Redis after a gap, and which channels a token opens to the jury's view."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

import msgspec
from faststream.nats import NatsBroker
from nats.aio.client import Client as NatsClient
from nats.aio.msg import Msg
from prometheus_client import Counter, Gauge

from services.broadcast import protocol
from services.broadcast.ceremony import Stage
from services.broadcast.feed import Feeds, Frame
from services.broadcast.guard import Doorman
from services.broadcast.signins import JurySignIns
from services.broadcast.store import SnapshotStore
from shared import subjects
from shared.asyncapi_types import MedalsMessage, StandingsMessage, TickerMessage
from shared.championship import Championship
from shared.events import MedalsPublished, StandingsPublished, TickerPublished
from shared.plumbing.tokens import Claims, Verifier

log = logging.getLogger("podium.broadcast")
# One empty set for every screen without a jury's token, rather than one each.
NO_CHANNELS: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Broadcast:
    championship: Championship
    feeds: Feeds
    store: SnapshotStore
    # The jury's view here is read-only; the verifier refuses revoked sign-ins (`signins`).
    verifier: Verifier
    signins: JurySignIns
    channels: frozenset[str]
    connections: Gauge
    frames: Counter
    doorman: Doorman
    turned_away: Counter

    def fan_out(self, public: Frame | None, jury: Frame) -> int:
        """Offer a snapshot's frames; without a public one the public's screens keep theirs."""
        if public is None:
            return self.feeds.jury.update(jury)
        return self.feeds.update(public, jury)

    def receive(self, snapshot: StandingsPublished) -> None:
        """A snapshot from ranking: keep it and fan it out."""
        listeners = self.fan_out(*protocol.standings_frames(snapshot))
        self.frames.inc(listeners)
        standings = snapshot.standings
        log.info(
            "standings fanned out",
            extra={
                "skill": standings.skill,
                "version": standings.version,
                "marks": snapshot.marks,
                "screens": listeners,
            },
        )

    def receive_medals(self, snapshot: MedalsPublished) -> None:
        listeners = self.fan_out(*protocol.medals_frames(snapshot))
        self.frames.inc(listeners)
        log.info("medals fanned out", extra={"version": snapshot.version, "screens": listeners})

    def receive_ticker(self, snapshot: TickerPublished) -> None:
        listeners = self.fan_out(*protocol.ticker_frames(snapshot))
        self.frames.inc(listeners)
        log.info("ticker fanned out", extra={"version": snapshot.version, "screens": listeners})

    async def reload(self) -> None:
        """Catch up from Redis: on start, and after NATS was away and messages were missed."""
        skills = [s.id for s in self.championship.skills]
        for snapshot in await self.store.all_standings(skills):
            self.fan_out(*protocol.standings_frames(snapshot))
        medals = await self.store.medals()
        if medals is not None:
            self.fan_out(*protocol.medals_frames(medals))
        ticker = await self.store.ticker()
        if ticker is not None:
            self.fan_out(*protocol.ticker_frames(ticker))

    def jury_channels(self, token: str | None) -> frozenset[str]:
        """The channels a token opens to the jury's view; raises TokenError for a bad one
        (RevokedError for a revoked sign-in)."""
        return self.jury_of(token)[0]

    def jury_of(self, token: str | None) -> tuple[frozenset[str], Claims | None]:
        """The channels a token opens to the jury's view, and its claims where it opens any."""
        if token is None:
            return NO_CHANNELS, None
        expert, claims = self.verifier.person(token, self.championship)
        if expert.role == "organizer":
            skills = [protocol.standings_channel(s.id) for s in self.championship.skills]
            return frozenset([protocol.MEDALS_CHANNEL, protocol.TICKER_CHANNEL, *skills]), claims
        if expert.role == "chief" and expert.skill is not None:
            return frozenset({protocol.standings_channel(expert.skill)}), claims
        return NO_CHANNELS, None


class Snapshots:
    """Ranking's snapshots, as they are published, into `broadcast` (the screens) and into the
    ceremony's `stage`, which shows them only at their step."""

    def __init__(self, broadcast: Broadcast, stage: Stage) -> None:
        self.broadcast, self.stage = broadcast, stage

    def standings(self, snapshot: StandingsPublished) -> None:
        self.broadcast.receive(snapshot)
        self.stage.receive(snapshot)

    def medals(self, snapshot: MedalsPublished) -> None:
        self.broadcast.receive_medals(snapshot)
        self.stage.receive_medals(snapshot)

    def ticker(self, snapshot: TickerPublished) -> None:
        self.broadcast.receive_ticker(snapshot)


Receive = Callable[[Any], None]
# Each snapshot subject, what its message decodes to, and which of `Snapshots`' methods takes it.
FOLLOWED: tuple[tuple[str, type[Any], str], ...] = (
    (subjects.STANDINGS_ALL, StandingsPublished, "standings"),
    (subjects.MEDALS, MedalsPublished, "medals"),
    (subjects.TICKER, TickerPublished, "ticker"),
)


async def follow(connection: NatsClient, snapshots: Snapshots) -> None:
    """Subscribe to ranking's snapshots through nats-py itself, each message decoded by msgspec
    straight into its Struct.

    A snapshot is on its way to the screens, twice a mark (standings and ticker): FastStream's
    path for a message (its middlewares, context, stdlib JSON parsing, then msgspec's
    conversion) cost broadcast more CPU than the fan-out to a few hundred screens. The
    document of these subscriptions is FastStream's all the same (`describe`).
    """
    for subject, kind, method in FOLLOWED:
        await connection.subscribe(subject, cb=receiver(subject, kind, getattr(snapshots, method)))


def receiver(
    subject: str, kind: type[Any], receive: Receive
) -> Callable[[Msg], Coroutine[Any, Any, None]]:
    decoder = msgspec.json.Decoder(kind)

    async def on_message(message: Msg) -> None:
        try:
            snapshot = decoder.decode(message.data)
        except msgspec.DecodeError as problem:
            # Not ranking's (or a ranking of another version): the screens keep what they show.
            log.error("snapshot not understood", extra={"subject": subject, "error": str(problem)})
            return
        receive(snapshot)

    return on_message


def describe(snapshots: Snapshots, broker: NatsBroker) -> NatsBroker:
    """Broadcast's subscriptions declared on `broker`, a broker never started, for the
    AsyncAPI document (`make asyncapi`) only: at run time `follow` takes these messages.

    The handlers are the same `Snapshots` methods, so the document cannot name a handler
    that broadcast does not run."""

    @broker.subscriber(
        subjects.STANDINGS_ALL,
        title="broadcast:standings",
        description="Each skill's latest standings, fanned out to the screens subscribed to it.",
    )
    async def on_standings(snapshot: StandingsMessage) -> None:
        snapshots.standings(snapshot)

    @broker.subscriber(
        subjects.MEDALS,
        title="broadcast:medals",
        description="The medal table, fanned out to the screens subscribed to it.",
    )
    async def on_medals(snapshot: MedalsMessage) -> None:
        snapshots.medals(snapshot)

    @broker.subscriber(
        subjects.TICKER,
        title="broadcast:ticker",
        description="The most recent accepted marks, fanned out to the ticker's screens.",
    )
    async def on_ticker(snapshot: TickerMessage) -> None:
        snapshots.ticker(snapshot)

    return broker
