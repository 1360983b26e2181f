"""The venue crew's state as the log leaves it: what each named screen shows, and where the
closing ceremony stands; and how screens tell that they are there.

Intake (to list screens and move the ceremony) and every broadcast replica (to tell screens)
fold the same commands with `Crew.apply`, so they cannot disagree on what a command means.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

import msgspec
from nats.js.api import KeyValueConfig, StorageType
from nats.js.client import JetStreamContext
from nats.js.errors import NotFoundError

from shared import ceremony, subjects
from shared.events import (
    CeremonyScripted,
    CeremonyStepped,
    CrewCommand,
    ScreenAssigned,
    Show,
    command_decoder,
)

# A screen's name is a subject token and a key of the presence bucket: no '.', no spaces.
SCREEN_NAME = r"^[A-Za-z0-9_-]{1,64}$"
ScreenName = Annotated[str, msgspec.Meta(pattern=SCREEN_NAME)]


class Assignment(msgspec.Struct, frozen=True):
    show: Show
    at: str
    expert: str
    seq: int


@dataclass
class Crew:
    screens: dict[str, Assignment] = field(default_factory=dict)
    ceremony: ceremony.Ceremony = field(default_factory=ceremony.Ceremony)
    # The log sequence of the ceremony's last command: the next must expect it.
    ceremony_seq: int = 0

    def apply(self, seq: int, command: CrewCommand) -> bool:
        """Fold one command once (the log may deliver what this process stored itself);
        False when it was folded before."""
        match command:
            case ScreenAssigned(screen=name):
                known = self.screens.get(name)
                if known is not None and known.seq >= seq:
                    return False
                self.screens[name] = Assignment(command.show, command.at, command.expert, seq)
            case CeremonyScripted() | CeremonyStepped():
                if seq <= self.ceremony_seq:
                    return False
                self.ceremony = ceremony.apply(self.ceremony, command)
                self.ceremony_seq = seq
        return True

    @property
    def screens_version(self) -> int:
        """Grows with every assignment, the same on every replica: the log's sequence."""
        return max((a.seq for a in self.screens.values()), default=0)


async def catch_up(js: JetStreamContext, crew: Crew) -> int:
    """Fold every crew command the log holds (a few hundred in a championship, read one by
    one); returns how many. Run after subscribing to new ones, so none falls in between."""
    seq, read = 1, 0
    while True:
        try:
            raw = await js.get_msg(
                subjects.COMMANDS_STREAM, seq=seq, subject=subjects.CREW_ALL, next=True
            )
        except NotFoundError:
            return read
        assert raw.seq is not None
        command = command_decoder.decode(raw.data or b"")
        if isinstance(command, CrewCommand):
            crew.apply(raw.seq, command)
        seq, read = raw.seq + 1, read + 1


def subject_of(command: CrewCommand) -> str:
    if isinstance(command, ScreenAssigned):
        return subjects.screen(command.screen)
    return subjects.CEREMONY


# Presence: each broadcast replica writes, for each named screen connected to it, one entry of
# a JetStream key-value bucket, and refreshes it while the screen stays; intake reads them all.
# Not Redis: broadcast replicas may read from a Redis replica, which takes no writes.
PRESENCE_BUCKET = "podium_screens"
# How often a replica says its screens are still there, and when an entry not refreshed means
# the replica itself is gone (killed: nobody wrote that its screens left).
PRESENCE_EVERY_S = 5.0
PRESENCE_STALE_S = 15.0


class Presence(msgspec.Struct, frozen=True):
    """A named screen as it reported itself: its name and language, and its connection."""

    screen: str
    language: str
    # The current (or last) connection's start, and when the screen was last known there.
    since: str
    seen: str
    connected: bool
    # Which connection wrote the entry: a screen reloading opens its new connection before
    # the old one is closed, and the old one must not mark it gone.
    connection: str


def presence_bucket(replicas: int) -> KeyValueConfig:
    """The bucket's one configuration, so that whichever service makes it, it is the same.
    In memory: where a screen is matters now, and the log keeps what it shows."""
    return KeyValueConfig(
        bucket=PRESENCE_BUCKET,
        description="Named screens connected to broadcast replicas",
        history=1,
        storage=StorageType.MEMORY,
        replicas=replicas,
    )


presence_decoder = msgspec.json.Decoder(Presence)
presence_encoder = msgspec.json.Encoder()
