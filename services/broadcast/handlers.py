"""Broadcast's handlers: each snapshot from ranking fanned out to the screens, everything again
from Redis after a gap, and which channels a token opens to the jury's view."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from faststream.nats import NatsBroker
from prometheus_client import Counter, Gauge

from services.broadcast import protocol
from services.broadcast.ceremony import Stage
from services.broadcast.feed import Feeds, Frame
from services.broadcast.guard import Doorman
from services.broadcast.store import SnapshotStore
from shared import subjects
from shared.championship import Championship
from shared.documented import MedalsMessage, StandingsMessage, TickerMessage
from shared.events import MedalsPublished, StandingsPublished, TickerPublished
from shared.tokens import Verifier

log = logging.getLogger("podium.broadcast")
# One empty set for every screen without a jury's token, rather than one each.
NO_CHANNELS: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Broadcast:
    championship: Championship
    feeds: Feeds
    store: SnapshotStore
    # The jury's view here is read-only; revocations are enforced by intake.
    verifier: Verifier
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
        """The channels a token opens to the jury's view; raises TokenError for a bad one."""
        if token is None:
            return NO_CHANNELS
        expert, _ = self.verifier.person(token, self.championship)
        if expert.role == "organizer":
            skills = [protocol.standings_channel(s.id) for s in self.championship.skills]
            return frozenset([protocol.MEDALS_CHANNEL, protocol.TICKER_CHANNEL, *skills])
        if expert.role == "chief" and expert.skill is not None:
            return frozenset({protocol.standings_channel(expert.skill)})
        return NO_CHANNELS


def subscribe(broker: NatsBroker, broadcast: Broadcast, stage: Stage) -> None:
    """Ranking's snapshots into `broadcast` as they are published, and into the ceremony's
    `stage`, which shows them only at their step."""

    @broker.subscriber(
        subjects.STANDINGS_ALL,
        title="broadcast:standings",
        description="Each skill's latest standings, fanned out to the screens subscribed to it.",
    )
    async def on_standings(snapshot: StandingsMessage) -> None:
        broadcast.receive(snapshot)
        stage.receive(snapshot)

    @broker.subscriber(
        subjects.MEDALS,
        title="broadcast:medals",
        description="The medal table, fanned out to the screens subscribed to it.",
    )
    async def on_medals(snapshot: MedalsMessage) -> None:
        broadcast.receive_medals(snapshot)
        stage.receive_medals(snapshot)

    @broker.subscriber(
        subjects.TICKER,
        title="broadcast:ticker",
        description="The most recent accepted marks, fanned out to the ticker's screens.",
    )
    async def on_ticker(snapshot: TickerMessage) -> None:
        broadcast.receive_ticker(snapshot)
