"""Waiting for a condition in tests: ask again and again until it holds, or fail with what was
seen last. The one way tests wait; a sleep is never the synchronisation.

Deadlines are generous on purpose: the machine running the tests may be busy, and a test that
only checks *that* something happens must not fail because it happened slowly. Where the time
matters, the test measures it and asserts on the measurement.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")

WITHIN_S = 10.0
EVERY_S = 0.05


def _holds(value: object) -> bool:
    return bool(value)


class _Deadline:
    def __init__(self, within: float, what: str) -> None:
        self.within, self.what = within, what
        self.at = time.monotonic() + within

    def not_yet(self, seen: object) -> None:
        if time.monotonic() > self.at:
            raise AssertionError(
                f"{self.what} did not hold within {self.within:g} s; last seen: {seen!r}"
            )


async def eventually(
    probe: Callable[[], Awaitable[T]],
    until: Callable[[T], bool] = _holds,
    *,
    within: float = WITHIN_S,
    every: float = EVERY_S,
    ignoring: tuple[type[BaseException], ...] = (),
    what: str = "the condition",
) -> T:
    """Await `probe()` until `until` holds for its answer (by default: the answer is truthy),
    and return that answer. Exceptions in `ignoring` count as "not yet"."""
    deadline = _Deadline(within, what)
    while True:
        try:
            answer = await probe()
        except ignoring as error:
            deadline.not_yet(error)
        else:
            if until(answer):
                return answer
            deadline.not_yet(answer)
        await asyncio.sleep(every)


def eventually_sync(
    probe: Callable[[], T],
    until: Callable[[T], bool] = _holds,
    *,
    within: float = WITHIN_S,
    every: float = EVERY_S,
    ignoring: tuple[type[BaseException], ...] = (),
    what: str = "the condition",
) -> T:
    """`eventually` for code outside an event loop (processes, threads, the browser tests)."""
    deadline = _Deadline(within, what)
    while True:
        try:
            answer = probe()
        except ignoring as error:
            deadline.not_yet(error)
        else:
            if until(answer):
                return answer
            deadline.not_yet(answer)
        time.sleep(every)
