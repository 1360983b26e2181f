"""Token buckets: a burst passes, then the steady rate; each key on its own; bounded memory."""

from __future__ import annotations

from shared.plumbing.rate_limits import Buckets, retry_after


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_passes_then_requests_wait_for_the_refill() -> None:
    clock = Clock()
    buckets = Buckets(per_s=2, burst=5, clock=clock)
    assert [buckets.take("a") for _ in range(5)] == [0.0] * 5
    assert buckets.take("a") == 0.5
    clock.now += 0.5
    assert buckets.take("a") == 0.0
    assert buckets.take("a") > 0
    assert buckets.take("b") == 0.0  # another key has its own bucket


def test_a_refused_request_does_not_dig_the_bucket_deeper() -> None:
    clock = Clock()
    buckets = Buckets(per_s=1, burst=1, clock=clock)
    assert buckets.take("a") == 0.0
    waits = [buckets.take("a") for _ in range(100)]
    assert max(waits) == 1.0
    clock.now += 1.0
    assert buckets.take("a") == 0.0


def test_a_full_bucket_never_holds_more_than_its_burst() -> None:
    clock = Clock()
    buckets = Buckets(per_s=10, burst=3, clock=clock)
    buckets.take("a")
    clock.now += 3600
    assert [buckets.take("a") == 0.0 for _ in range(4)] == [True, True, True, False]


def test_idle_keys_are_forgotten_oldest_first() -> None:
    clock = Clock()
    buckets = Buckets(per_s=1, burst=1, clock=clock, most=3)
    for key in ("a", "b", "c", "d"):
        buckets.take(key)
    assert buckets.take("a") == 0.0  # forgotten, so full again
    assert buckets.take("d") > 0


def test_zero_rate_means_no_limit_and_retry_after_is_at_least_a_second() -> None:
    assert Buckets(per_s=0, burst=0).take("a") == 0.0
    assert (retry_after(0.01), retry_after(1.2)) == ("1", "2")
