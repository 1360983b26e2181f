"""The venue crew's pages: `/screens` (every named screen of the hall, with a live preview, and
what to show on it) and `/ceremony` (the closing ceremony's console). Signed in like the
chief's panel; the API behind them admits organizers only."""

from __future__ import annotations

import re
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from shared.championship import Championship
from shared.plumbing.settings import Settings
from shared.plumbing.web import PAGE_HEADERS, page_with

PAGES = Path(__file__).parents[1] / "static"
HEADERS = {**PAGE_HEADERS, "Cache-Control": "no-cache"}
# What may stand for a host in an origin written into a page's policy (the Host header is the
# asker's to choose: nothing in it may add a directive).
HOST = re.compile(r"[A-Za-z0-9.\-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\]")


def crew_data(championship: Championship) -> dict[str, object]:
    return {
        "name": championship.name,
        "languages": list(championship.languages),
        "timezone": championship.timezone,
        "members": [{"code": m.code, "name": m.name} for m in championship.members],
        "skills": [{"id": s.id, "name": s.name} for s in championship.skills],
    }


def broadcast_origin(request: Request, settings: Settings) -> str | None:
    """Where the crew's browser reaches broadcast: the setting, else this page's host at
    broadcast's port. None when the host cannot be trusted into a policy."""
    if settings.broadcast_url:
        return settings.broadcast_url.rstrip("/")
    host = request.url.hostname or ""
    host = f"[{host}]" if ":" in host else host
    if not HOST.fullmatch(host):
        return None
    return f"{request.url.scheme}://{host}:{settings.broadcast_port}"


def routes(championship: Championship, settings: Settings) -> list[Route]:
    data = crew_data(championship)
    console = page_with(PAGES / "ceremony.html", data)
    screens_template = PAGES / "screens.html"

    async def screens_page(request: Request) -> Response:
        origin = broadcast_origin(request, settings)
        page = page_with(screens_template, {**data, "broadcast": origin})
        headers = dict(HEADERS)
        if origin is not None:
            # The previews are the displays themselves, framed from broadcast.
            policy = headers["Content-Security-Policy"]
            headers["Content-Security-Policy"] = f"{policy}; frame-src {origin}"
        return HTMLResponse(page, headers=headers)

    async def ceremony_page(request: Request) -> Response:
        return HTMLResponse(console, headers=HEADERS)

    return [
        Route("/screens", screens_page, methods=["GET"]),
        Route("/ceremony", ceremony_page, methods=["GET"]),
    ]
