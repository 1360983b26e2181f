"""The `ceremony` channel: what the hall's ceremony screens show at the current step.

Each replica computes it from the same inputs (the ceremony as the log leaves it, the jury's
standings and medal table that ranking publishes), so every replica sends the same frame.
The frame holds the current step alone: a screen never receives a name before its step,
whatever the public may see of the skill.
"""

from __future__ import annotations

import hashlib
import logging

import msgspec

from services.broadcast.feed import Feeds
from services.broadcast.protocol import frame
from services.broadcast.store import SnapshotStore
from shared import ceremony
from shared.events import MedalsPublished, MedalTable, Standings, StandingsPublished
from shared.public.view import PublicChampionship

log = logging.getLogger("podium.broadcast")

CEREMONY_CHANNEL = "ceremony"
_encoder = msgspec.json.Encoder()


class Stage:
    def __init__(self, championship: PublicChampionship, feeds: Feeds) -> None:
        self.championship = championship
        self.feeds = feeds
        self.ceremony = ceremony.Ceremony()
        # The sequence of the ceremony's last command: the frame's version, as on every replica.
        self.seq = 0
        # The jury's view of each skill, and the jury's medal table with its version.
        self.standings: dict[str, Standings] = {}
        self.medals: MedalTable | None = None
        self.medals_version = -1
        self.shown = b""
        # Nothing is sent before the ceremony was read from the log: a screen must not show
        # the ceremony's beginning while it is at its tenth step.
        self.ready = False

    def moved(self, state: ceremony.Ceremony, seq: int) -> None:
        self.ceremony, self.seq, self.ready = state, seq, True
        self.publish()

    async def reload(self, store: SnapshotStore, skills: list[str]) -> None:
        """The jury's standings and medal table as Redis holds them: at start, and after
        NATS was away and snapshots may have been missed."""
        for snapshot in await store.all_standings(skills):
            self.receive(snapshot)
        medals = await store.medals()
        if medals is not None:
            self.receive_medals(medals)

    def receive(self, snapshot: StandingsPublished) -> None:
        jury = snapshot.standings
        known = self.standings.get(jury.skill)
        if known is None or known.epoch != jury.epoch or jury.version >= known.version:
            self.standings[jury.skill] = jury
            self.publish()

    def receive_medals(self, snapshot: MedalsPublished) -> None:
        if snapshot.version >= self.medals_version:
            self.medals, self.medals_version = snapshot.medals, snapshot.version
            self.publish()

    def publish(self) -> None:
        """Offer the current step's view to the channel if it changed (a new step, or the
        jury's standings moved under it)."""
        if not self.ready:
            return
        view = ceremony.view(self.ceremony, self.championship, self.standings, self.medals)
        encoded = _encoder.encode(view)
        if encoded == self.shown:
            return
        self.shown = encoded
        # The content's digest as the epoch: two replicas with the same view send the same
        # frame, and a screen resubscribing with it is sent nothing again.
        epoch = hashlib.blake2b(encoded, digest_size=6).hexdigest()
        shown = frame(CEREMONY_CHANNEL, self.seq, epoch, view)
        self.feeds.update(shown, shown)
        log.info("ceremony view", extra={"step": view.step, "seq": self.seq})
