"""Intake's metrics: commands by outcome, request latency by endpoint, throttled requests."""

from __future__ import annotations

import functools
import time

from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.types import ASGIApp, Receive, Scope, Send


class Metrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry
        self.outcomes = Outcomes(
            Counter(
                "podium_intake_commands",
                "Commands by outcome (accepted, duplicate, or the refusal's code)",
                ["command", "outcome"],
                registry=registry,
            )
        )
        self.latency = Histogram(
            "podium_intake_request_seconds",
            "Request latency by endpoint",
            ["endpoint"],
            registry=registry,
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
        )
        self.throttled = Counter(
            "podium_intake_throttled",
            "Requests refused with 429, by limit",
            ["per"],
            registry=registry,
        )


class Outcomes:
    """Commands counted by outcome. Each pair of labels is looked up once: prometheus'
    `labels()` costs about 4 µs a call, and every request counts its outcome. The labels come
    from a closed set (the commands, the refusals' codes), so this stays small."""

    def __init__(self, counter: Counter) -> None:
        self.counter = counter
        self._child = functools.cache(
            lambda command, outcome: counter.labels(command=command, outcome=outcome)
        )

    def count(self, command: str, outcome: str) -> None:
        self._child(command, outcome).inc()


class Timed:
    """Observes each request's latency under the name of the endpoint that served it."""

    def __init__(self, app: ASGIApp, histogram: Histogram) -> None:
        self.app = app
        self.histogram = histogram
        # One child per endpoint name, looked up once (see `Outcomes`).
        self._child = functools.cache(lambda endpoint: histogram.labels(endpoint=endpoint))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        try:
            await self.app(scope, receive, send)
        finally:
            endpoint = getattr(scope.get("endpoint"), "__name__", "unmatched")
            self._child(endpoint).observe(time.perf_counter() - started)
