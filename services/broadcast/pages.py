"""The venue display (`/display`) and the spectators' page (`/`): files of this package only,
since the hall's network may have no internet. The championship is written into each page, so
a screen shows its names and skills before the feed has said anything."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from shared.championship import Championship
from shared.web import PAGE_HEADERS, page_with

PAGES = Path(__file__).parent / "static"


def public_championship(championship: Championship) -> dict[str, object]:
    """What a page needs: names, members, skills and their aspects; no people but competitors'
    names, which the boards show anyway."""
    return {
        "name": championship.name,
        "venue": championship.venue,
        "languages": list(championship.languages),
        "members": [{"code": m.code, "name": m.name} for m in championship.members],
        "skills": [
            {
                "id": s.id,
                "name": s.name,
                "criteria": [
                    {
                        "id": c.id,
                        "name": c.name,
                        "aspects": [{"id": a.id, "description": a.description} for a in c.aspects],
                    }
                    for c in s.criteria
                ],
            }
            for s in championship.skills
        ],
    }


def routes(championship: Championship) -> list[Route | Mount]:
    data = public_championship(championship)
    spectator, display = (
        page_with(PAGES / "index.html", data),
        page_with(PAGES / "display.html", data),
    )

    async def spectator_page(request: Request) -> Response:
        return HTMLResponse(spectator, headers=PAGE_HEADERS)

    async def display_page(request: Request) -> Response:
        return HTMLResponse(display, headers=PAGE_HEADERS)

    return [
        Route("/", spectator_page, methods=["GET"]),
        Route("/display", display_page, methods=["GET"]),
        Mount("/pages", StaticFiles(directory=PAGES), name="pages"),
    ]
