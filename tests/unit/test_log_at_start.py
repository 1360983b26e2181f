"""A service starting while the log does not answer yet (a new cluster electing its leader)
asks again rather than exiting, for a bounded time, and passes on what is no outage."""

from __future__ import annotations

import asyncio

import pytest
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js.errors import NotFoundError

from shared.plumbing import connections


class Reading:
    """A reading of the log that fails `failures` times before it answers."""

    def __init__(self, failures: int, error: Exception) -> None:
        self.failures, self.error, self.asked = failures, error, 0

    async def __call__(self) -> int:
        self.asked += 1
        if self.asked <= self.failures:
            raise self.error
        return 7


@pytest.fixture(autouse=True)
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(connections, "LOG_AGAIN_S", 0.01)


def test_a_reading_that_timed_out_is_asked_again_until_it_answers() -> None:
    reading = Reading(3, NatsTimeoutError())
    assert asyncio.run(connections.patiently(reading, "crew commands")) == 7
    assert reading.asked == 4


def test_the_last_failure_is_raised_once_the_wait_is_over() -> None:
    reading = Reading(10_000, NatsTimeoutError())
    with pytest.raises(NatsTimeoutError):
        asyncio.run(connections.patiently(reading, "crew commands", within_s=0.05))
    assert 2 <= reading.asked < 10_000


def test_a_missing_log_is_no_outage_and_is_not_asked_again() -> None:
    reading = Reading(1, NotFoundError())
    with pytest.raises(NotFoundError):
        asyncio.run(connections.patiently(reading, "crew commands"))
    assert reading.asked == 1


def test_an_error_that_is_no_outage_is_not_asked_again() -> None:
    reading = Reading(1, ValueError("a bad command in the log"))
    with pytest.raises(ValueError, match="bad command"):
        asyncio.run(connections.patiently(reading, "crew commands"))
    assert reading.asked == 1
