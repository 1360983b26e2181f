"""Who may keep a feed connection: pages of the venue's own origins, at most so many
connections per address, and a steady rate of messages from each. Whoever breaks a limit is
told why in an `error` frame; a connection that keeps flooding is closed (1008). Everyone
else never notices."""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlsplit

from shared.plumbing.rate_limits import Buckets
from shared.plumbing.settings import Settings

# Refused messages in a row a connection may send before it is closed rather than answered.
FLOOD_CLOSE_AFTER = 200


class Doorman:
    def __init__(self, settings: Settings) -> None:
        self.origins = frozenset(o.rstrip("/") for o in settings.allowed_origins)
        self.per_address = settings.feed_per_address
        self.open: Counter[str] = Counter()
        self.messages_per_s = settings.feed_messages_per_s
        self.messages_burst = settings.feed_messages_burst

    def origin_allowed(self, origin: str | None, host: str | None) -> bool:
        """Browsers always send `Origin`: a page of another site may not use a jury's session.
        Screens that are not browsers send none, and need no such protection."""
        if origin is None or "*" in self.origins:
            return True
        origin = origin.rstrip("/")
        return origin in self.origins or urlsplit(origin).netloc == (host or "")

    def admit(self, address: str) -> bool:
        """Whether one more connection from `address` fits; if so it is counted until `leave`.

        Not a context manager: its suspended generator would be kept for as long as each
        screen stays."""
        if self.open[address] >= self.per_address:
            return False
        self.open[address] += 1
        return True

    def leave(self, address: str) -> None:
        self.open[address] -= 1
        if not self.open[address]:
            del self.open[address]

    def messages(self) -> Flood:
        return Flood(Buckets(self.messages_per_s, self.messages_burst))


class Flood:
    """One connection's message rate."""

    __slots__ = ("bucket", "refused")

    def __init__(self, bucket: Buckets) -> None:
        self.bucket = bucket
        self.refused = 0

    def allows(self) -> bool:
        if not self.bucket.take(""):
            self.refused = 0  # only a flood that goes on without a pause is closed
            return True
        self.refused += 1
        return False

    @property
    def overflowing(self) -> bool:
        return self.refused > FLOOD_CLOSE_AFTER
