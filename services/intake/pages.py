"""The experts' marking page (`/mark`) and the chief expert's panel (`/chief`): files of this
package only, since the hall's network may have no internet. The championship's marking
schemes are written into each page; every script is a file, so the pages run under a strict
Content-Security-Policy with no inline code."""

from __future__ import annotations

from pathlib import Path

import msgspec
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from shared.championship import Championship
from shared.plumbing.web import PAGE_HEADERS, page_with

PAGES = Path(__file__).parent / "static"
# The tablet asks again each time it opens the page, so a new version reaches it at once.
HEADERS = {**PAGE_HEADERS, "Cache-Control": "no-cache"}


def marking_schemes(championship: Championship) -> dict[str, object]:
    """What the pages need to mark without asking: skills with their criteria, aspects and
    rules, and members. No people: the pages are open to anyone, so the competitors' names
    come from `GET /api/competitors`, behind the token (docs/privacy.md)."""
    return {
        "name": championship.name,
        "languages": list(championship.languages),
        "members": [{"code": m.code, "name": m.name} for m in championship.members],
        "skills": [
            {
                "id": s.id,
                "name": s.name,
                "judges_per_aspect": s.rules.judges_per_aspect,
                "criteria": msgspec.to_builtins(s.criteria),
            }
            for s in championship.skills
        ],
    }


def routes(championship: Championship) -> list[Route | Mount]:
    schemes = marking_schemes(championship)
    marking, chief = (
        page_with(PAGES / "mark.html", schemes),
        page_with(PAGES / "chief.html", schemes),
    )
    worker = (PAGES / "sw.js").read_bytes()

    async def marking_page(request: Request) -> Response:
        return HTMLResponse(marking, headers=HEADERS)

    async def chief_panel(request: Request) -> Response:
        return HTMLResponse(chief, headers=HEADERS)

    async def service_worker(request: Request) -> Response:
        # At the root, so it may serve /mark and /chief when the tablet is offline.
        return Response(worker, media_type="text/javascript", headers=HEADERS)

    return [
        Route("/mark", marking_page, methods=["GET"]),
        Route("/chief", chief_panel, methods=["GET"]),
        Route("/sw.js", service_worker, methods=["GET"]),
        Mount("/intake-pages", StaticFiles(directory=PAGES), name="intake-pages"),
    ]
