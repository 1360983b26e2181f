"""Rate limits: token buckets per key (an address, a token), refilled at a steady rate.

A bucket holds up to `burst` requests and refills at `per_s`; an empty one says how long until
the next request would pass. Idle buckets are forgotten oldest first once there are too many,
so a flood of made-up keys costs bounded memory.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable


class Buckets:
    def __init__(
        self,
        per_s: float,
        burst: float,
        clock: Callable[[], float] = time.monotonic,
        most: int = 50_000,
    ) -> None:
        self.per_s = per_s
        self.burst = burst
        self.clock = clock
        self.most = most
        self._held: OrderedDict[str, tuple[float, float]] = OrderedDict()

    @property
    def enabled(self) -> bool:
        return self.per_s > 0

    def take(self, key: str) -> float:
        """0 if the request may pass (and it is counted), else the seconds until one may."""
        if not self.enabled:
            return 0.0
        now = self.clock()
        tokens, then = self._held.pop(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - then) * self.per_s)
        wait = 0.0
        if tokens >= 1:
            tokens -= 1
        else:
            wait = (1 - tokens) / self.per_s
        self._held[key] = (tokens, now)
        if len(self._held) > self.most:
            self._held.popitem(last=False)
        return wait


def retry_after(wait_s: float) -> str:
    """`Retry-After` in whole seconds, never 0: a client told 0 would retry at once."""
    return str(max(1, math.ceil(wait_s)))
