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

PAGES = Path(__file__).parent / "pages"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


def marking_schemes(championship: Championship) -> dict[str, object]:
    """What the pages need to mark without asking: skills with their criteria, aspects and
    rules, members, and competitors (names the public boards show anyway). No experts."""
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
        "competitors": msgspec.to_builtins(championship.competitors),
    }


def page(name: str, championship: Championship) -> bytes:
    data = msgspec.json.encode(marking_schemes(championship)).decode()
    # Inside a <script> element "</" would end it early.
    html = (PAGES / name).read_text().replace("__CHAMPIONSHIP__", data.replace("</", "<\\/"))
    return html.encode()


def routes(championship: Championship) -> list[Route | Mount]:
    marking, chief = page("mark.html", championship), page("chief.html", championship)
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
