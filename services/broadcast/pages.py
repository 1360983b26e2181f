"""The venue display (`/display`) and the spectators' page (`/`): files of this package only,
since the hall's network may have no internet. The championship is written into each page, so
a screen shows its names and skills before the feed has said anything."""

from __future__ import annotations

import io
from pathlib import Path

import msgspec
import segno
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from shared.plumbing.settings import Settings
from shared.plumbing.web import PAGE_HEADERS, page_with, problem
from shared.public.view import PublicChampionship

PAGES = Path(__file__).parent / "static"
# The championship does not change while a service runs.
PUBLIC_CACHE = {"Cache-Control": "public, max-age=60"}


def page_data(championship: PublicChampionship) -> dict[str, object]:
    """What a page needs: names, members, skills and their aspects; no people (the boards
    name competitors by their public names)."""
    return {
        "name": championship.name,
        "venue": championship.venue,
        # The stale-feed banner says the time of the last update as the venue's clocks do.
        "timezone": championship.timezone,
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


# A preview (`/display?preview=1`, no token) may be framed by the crew's page on intake, whose
# origin broadcast does not know: it shows what any screen of the hall shows, and takes no input.
PREVIEW_HEADERS = {
    **PAGE_HEADERS,
    "Content-Security-Policy": PAGE_HEADERS["Content-Security-Policy"].replace(
        "frame-ancestors 'none'", "frame-ancestors *"
    ),
}


def qr_code(url: str) -> bytes:
    """The spectators' page as a QR code, in SVG; error correction M, as on printed cards."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=4, border=2, xmldecl=False)
    return out.getvalue()


def routes(championship: PublicChampionship, settings: Settings) -> list[Route | Mount]:
    data = {**page_data(championship), "qr": bool(settings.public_url)}
    # `GET /api/championship`: the public championship, encoded once.
    public_json = msgspec.json.encode(championship)
    spectator, display = (
        page_with(PAGES / "index.html", data),
        page_with(PAGES / "display.html", data),
    )
    qr = qr_code(settings.public_url) if settings.public_url else None

    async def spectator_page(request: Request) -> Response:
        return HTMLResponse(spectator, headers=PAGE_HEADERS)

    async def display_page(request: Request) -> Response:
        query = request.query_params
        preview = query.get("preview") == "1" and "token" not in query
        return HTMLResponse(display, headers=PREVIEW_HEADERS if preview else PAGE_HEADERS)

    async def championship_file(request: Request) -> Response:
        return Response(public_json, media_type="application/json", headers=PUBLIC_CACHE)

    async def qr_image(request: Request) -> Response:
        if qr is None:
            return problem(404, "No public address", "set PODIUM_PUBLIC_URL to show a QR code")
        return Response(qr, media_type="image/svg+xml", headers={"Cache-Control": "max-age=300"})

    return [
        Route("/", spectator_page, methods=["GET"]),
        Route("/display", display_page, methods=["GET"]),
        Route("/qr.svg", qr_image, methods=["GET"]),
        Route("/api/championship", championship_file, methods=["GET"]),
        Mount("/pages", StaticFiles(directory=PAGES), name="pages"),
    ]
