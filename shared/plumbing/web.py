"""What every service's HTTP side shares: problem+json errors, health, readiness, metrics."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from http import HTTPStatus
from pathlib import Path
from typing import Any

import msgspec
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Scope

PROBLEM_TYPE = "application/problem+json"

# The pages run only their own files: no inline script or style, nothing from elsewhere, not
# framed by another site, and no address (a jury link carries its token) leaked as a referrer.
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
_encoder = msgspec.json.Encoder()


class FieldError(msgspec.Struct, frozen=True):
    """One wrong part of a request: `path` names it (`reason`, `marks[3].value`, `line 4`)."""

    path: str
    message: str


class Problem(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """RFC 9457 problem details: `title` and `detail` for people, `code` the refusal's name
    that programs may rely on (e.g. `compatriot`, `locked`, `unknown_competitor`), `errors`
    each wrong part. Fields in the order of the wire; `code` and `errors` left out when empty."""

    type: str
    title: str
    status: int
    code: str | None = None
    detail: str
    errors: list[FieldError] = []


class JSONResponse(Response):
    """A JSON body encoded with msgspec (Structs included)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return _encoder.encode(content)


def problem(
    status: int,
    title: str,
    detail: str,
    errors: Sequence[FieldError] = (),
    headers: dict[str, str] | None = None,
    *,
    code: str | None = None,
) -> Response:
    """An RFC 9457 problem: what went wrong, in words a person can act on, and in `code` a
    name for it that programs may rely on (the title is for people and may be reworded)."""
    body = Problem(
        type="about:blank", title=title, status=status, code=code, detail=detail, errors=[*errors]
    )
    return Response(_encoder.encode(body), status, headers=headers, media_type=PROBLEM_TYPE)


def bearer_token(scope: Scope) -> str:
    """The token of the request's `Authorization: Bearer TOKEN` header; "" without one."""
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            return token.strip() if scheme.lower() == "bearer" else ""
    return ""


Probe = Callable[[], Awaitable[dict[str, bool]]]


def health_routes(probe: Probe, registry: CollectorRegistry) -> list[Route]:
    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        parts = await probe()
        ready = all(parts.values())
        return JSONResponse(
            {"status": "ready" if ready else "not ready", "parts": parts},
            200 if ready else 503,
        )

    async def metrics(request: Request) -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/metrics", metrics, methods=["GET"]),
    ]


async def http_problem(request: Request, exc: Exception) -> Response:
    """Starlette's own errors (404, 405, and those raised as HTTPException) as problem+json."""
    assert isinstance(exc, HTTPException)
    detail = f"{request.method} {request.url.path}: {exc.detail}"
    headers = dict(exc.headers) if exc.headers else None
    phrase = HTTPStatus(exc.status_code).phrase
    code = phrase.lower().replace(" ", "_")
    return problem(exc.status_code, phrase, detail, headers=headers, code=code)


def page_with(html: Path, data: object) -> bytes:
    """A page's HTML with `data` written into its `__CHAMPIONSHIP__` JSON block, so it shows
    names and skills before it has asked anything."""
    encoded = _encoder.encode(data).decode()
    # Inside a <script> element "</" would end it early.
    return html.read_text().replace("__CHAMPIONSHIP__", encoded.replace("</", "<\\/")).encode()
