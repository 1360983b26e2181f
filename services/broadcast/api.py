"""Broadcast's read API: `GET /api/standings`, `/api/standings/{skill}` and `/api/medals`, the
public's view unless a jury's token opens the jury's, with ETags and short cache lifetimes."""

from __future__ import annotations

import hashlib

import msgspec
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from services.broadcast import protocol
from services.broadcast.handlers import Broadcast
from shared.plumbing.tokens import TokenError
from shared.plumbing.web import bearer_token, problem

_encoder = msgspec.json.Encoder()


def broadcast_of(request: Request) -> Broadcast:
    broadcast: Broadcast = request.app.state.broadcast
    return broadcast


# Boards change within seconds: a phone may reuse an answer briefly, then asks again with its
# ETag and gets 304 if nothing changed. The jury's view is never kept by shared caches.
MAX_AGE_S = 2


def cached(request: Request, body: object, private: bool) -> Response:
    encoded = _encoder.encode(body)
    etag = '"' + hashlib.blake2b(encoded, digest_size=12).hexdigest() + '"'
    headers = {
        "ETag": etag,
        "Cache-Control": f"{'private' if private else 'public'}, max-age={MAX_AGE_S}",
        "Vary": "Authorization",
    }
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(encoded, media_type="application/json", headers=headers)


async def all_standings(request: Request) -> Response:
    broadcast = broadcast_of(request)
    skills = broadcast.championship.skills
    # What the public may see: a skill whose snapshot has no public view counts as not ready.
    found = {
        s.standings.skill: s.public
        for s in await broadcast.store.all_standings([s.id for s in skills])
        if s.public is not None
    }
    summary = []
    for skill in skills:
        standings = found.get(skill.id)
        summary.append(
            {
                "skill": skill.id,
                "name": skill.name,
                "version": standings.version if standings else 0,
                "epoch": standings.epoch if standings else "",
                "visibility": standings.visibility if standings else "live",
                "provisional": standings.provisional if standings else True,
                "progress": standings.progress if standings else 0.0,
                "updated_at": standings.updated_at if standings else None,
            }
        )
    return cached(request, {"skills": summary}, private=False)


def jury_sees(request: Request, channel: str) -> bool:
    """Whether the request's `?token=` (or bearer token) opens the jury's view of the channel."""
    token = request.query_params.get("token") or bearer_token(request.scope) or None
    try:
        return channel in broadcast_of(request).jury_channels(token)
    except TokenError as error:
        raise HTTPException(401, str(error), headers={"WWW-Authenticate": "Bearer"}) from error


async def medal_table(request: Request) -> Response:
    jury = jury_sees(request, protocol.MEDALS_CHANNEL)  # a bad token is refused first
    medals = await broadcast_of(request).store.medals()
    if medals is not None and jury:
        return cached(request, medals.medals, private=True)
    if medals is None or medals.public is None:
        return not_ready("ranking has not yet computed the medal table")
    return cached(request, medals.public, private=False)


async def skill_standings(request: Request) -> Response:
    broadcast = broadcast_of(request)
    skill = request.path_params["skill"]
    if skill not in broadcast.championship.index.skills:
        return problem(404, "Unknown skill", f"no skill {skill!r}", code="unknown_skill")
    jury = jury_sees(request, protocol.standings_channel(skill))  # a bad token is refused first
    snapshot = await broadcast.store.standings(skill)
    if snapshot is not None and jury:
        return cached(request, snapshot.standings, private=True)
    if snapshot is None or snapshot.public is None:
        return not_ready(f"ranking has not yet computed the standings of {skill}")
    return cached(request, snapshot.public, private=False)


def not_ready(detail: str) -> Response:
    return problem(503, "Not ready", detail, headers={"Retry-After": "2"}, code="not_ready")
