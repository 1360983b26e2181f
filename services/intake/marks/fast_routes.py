"""The marking endpoints straight to their handlers, past Starlette's router.

Every mark comes through `POST /api/marks` (or the batch), hundreds a second on a championship
day. Between the rate limits and the handler, Starlette would run its exception middleware,
its router (a regular expression per route until one matches), the route's request wrapper and
two more layers catching exceptions, each wrapping `send` again: about a tenth of intake's CPU
per mark, for nothing these endpoints use (they answer every refusal themselves). The fast routes
run after the rate limits and the latency metric (`Throttled`, `Timed`) and inside Starlette's
server-error middleware, like any route; every other request, and every other method on these
paths (405), goes through the router as before. The routes stay in the table for the OpenAPI
document and the 405s."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

Endpoint = Callable[[Request], Awaitable[Response]]


class FastRoutes:
    def __init__(self, app: ASGIApp, routes: Mapping[tuple[str, str], Endpoint]) -> None:
        """`routes`: (method, path) -> the endpoint that serves it."""
        self.app = app
        self.routes = dict(routes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope.get("root_path"):
            endpoint = self.routes.get((scope["method"], scope["path"]))
            if endpoint is not None:
                # As the router would set it: `Timed` names the endpoint after it.
                scope["endpoint"] = endpoint
                response = await endpoint(Request(scope, receive, send))
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
