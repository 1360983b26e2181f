"""Intake's rate limits, per token and per address: 429 with `Retry-After` for whoever sends
more than their share, before any work is done for them. Only the API counts; the pages and
health checks do not."""

from __future__ import annotations

import hashlib

from prometheus_client import Counter
from starlette.types import ASGIApp, Receive, Scope, Send

from shared.plumbing.rate_limits import Buckets, retry_after
from shared.plumbing.settings import Settings
from shared.plumbing.web import bearer_token, problem


class Throttled:
    def __init__(self, app: ASGIApp, settings: Settings, refused: Counter) -> None:
        self.app = app
        self.per_token = Buckets(settings.rate_token_per_s, settings.rate_token_burst)
        self.per_address = Buckets(settings.rate_address_per_s, settings.rate_address_burst)
        self.refused = refused

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        limited, wait = "address", self.per_address.take(client[0] if client else "")
        token = bearer_token(scope) if self.per_token.enabled else ""
        if not wait and token:
            # Keyed by a digest: the limiter never holds a token itself.
            digest = hashlib.sha256(token.encode()).hexdigest()
            limited, wait = "token", self.per_token.take(digest)
        if not wait:
            await self.app(scope, receive, send)
            return
        self.refused.labels(per=limited).inc()
        buckets = self.per_token if limited == "token" else self.per_address
        detail = (
            f"more than {buckets.per_s:g} requests a second (bursts of {buckets.burst:g}) "
            f"from this {limited}; retry after {retry_after(wait)} s with the same ids"
        )
        response = problem(
            429,
            "Too many requests",
            detail,
            headers={"Retry-After": retry_after(wait)},
            code="too_many_requests",
        )
        await response(scope, receive, send)
