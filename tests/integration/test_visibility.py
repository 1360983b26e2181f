"""What the public sees by visibility, through every public endpoint and the feed."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import redis.asyncio as aioredis
import websockets

from services.broadcast.app import build as build_broadcast
from services.ranking.app import build as build_ranking
from shared.events import (
    Command,
    MedalsPublished,
    MedalTable,
    RowRevealed,
    Standings,
    StandingsPublished,
    StandingsRow,
    VisibilityChanged,
    encoder,
)
from shared.plumbing import keys
from shared.plumbing.clock import iso_now
from shared.plumbing.settings import Settings
from tests.support.eventually import eventually
from tests.support.log import append, mark
from tests.support.people import demo, judge_for, token_of
from tests.support.services import serving

CHAMPIONSHIP = demo()
SKILL = CHAMPIONSHIP.skills[2]
FIRST, SECOND, *_ = CHAMPIONSHIP.index.competitors_of(SKILL.id)
MEASURE = next(a for _, a in SKILL.aspects if a.kind == "measurement")
CHIEF = next(e for e in CHAMPIONSHIP.experts if e.role == "chief" and e.skill == SKILL.id)
ORGANIZER = next(e for e in CHAMPIONSHIP.experts if e.role == "organizer")
CHANNEL = f"standings:{SKILL.id}"


def measured(mark_id: str, competitor: str, value: float) -> Command:
    judge = judge_for(CHAMPIONSHIP, CHAMPIONSHIP.index.competitors[competitor]).id
    return mark(mark_id, competitor, MEASURE.id, judge, value, SKILL.id)


def visibility(command_id: str, mode: str) -> Command:
    return VisibilityChanged(command_id, SKILL.id, mode, CHIEF.id, iso_now())  # type: ignore[arg-type]


async def board(http: httpx.AsyncClient, seq: int, token: str | None = None) -> dict[str, Any]:
    params = {"token": token} if token else {}

    async def found() -> dict[str, Any]:
        answer: dict[str, Any] = (
            await http.get(f"/api/standings/{SKILL.id}", params=params)
        ).json()
        return answer

    return await eventually(
        found, lambda board: board.get("version", 0) >= seq, what=f"a board of version {seq}"
    )


def totals(found: dict[str, Any]) -> dict[str, float]:
    return {row["competitor"]: row.get("total") for row in found["rows"]}


async def test_frozen_progress_reveal_and_final_as_the_public_and_the_jury_see_them(
    settings: Settings,
) -> None:
    async with (
        serving(build_ranking(settings)),
        serving(build_broadcast(settings)) as url,
        httpx.AsyncClient(base_url=url) as http,
        websockets.connect(url.replace("http", "ws") + "/ws") as public_ws,
    ):
        await public_ws.send(json.dumps({"op": "subscribe", "channel": CHANNEL}))
        [seq] = await append(settings.nats_url, measured("v1", FIRST.id, 1.0))
        assert totals(await board(http, seq))[FIRST.id] == 1.0

        [seq] = await append(settings.nats_url, visibility("f", "frozen"))
        at_freeze = await board(http, seq)
        [seq] = await append(settings.nats_url, measured("v2", SECOND.id, 2.0))
        public = await board(http, seq)
        jury = await board(http, seq, token_of(ORGANIZER))
        chief = await board(http, seq, token_of(CHIEF))
        assert public["visibility"] == "frozen"
        assert public["rows"] == at_freeze["rows"] and totals(public)[SECOND.id] == 0.0
        assert totals(jury)[SECOND.id] == 2.0 and totals(chief)[SECOND.id] == 2.0
        medals = (await http.get("/api/medals")).json()
        jury_medals = (await http.get("/api/medals", params={"token": token_of(ORGANIZER)})).json()
        gold = {line["member"]: line["gold"] for line in medals["table"]}
        jury_gold = {line["member"]: line["gold"] for line in jury_medals["table"]}
        assert gold[FIRST.member] >= 1 and jury_gold[SECOND.member] >= 1

        # The public feed saw the frozen board, never the mark made after the freeze.
        async with asyncio.timeout(5):
            while True:
                frame = json.loads(await public_ws.recv())
                if frame.get("type") == "snapshot" and frame["version"] >= seq:
                    break
                if frame.get("type") == "snapshot":
                    assert totals(frame["data"]).get(SECOND.id) in (None, 0.0)
        assert totals(frame["data"])[SECOND.id] == 0.0

        [seq] = await append(settings.nats_url, RowRevealed("r1", SKILL.id, 1, CHIEF.id, iso_now()))
        revealed = await board(http, seq)
        assert [row["competitor"] for row in revealed["rows"]] == [jury["rows"][-1]["competitor"]]

        [seq] = await append(settings.nats_url, visibility("p", "progress"))
        progress = await board(http, seq)
        assert all("total" not in row and row["rank"] is None for row in progress["rows"])
        assert {row["competitor"] for row in progress["rows"]} >= {FIRST.id, SECOND.id}

        [seq] = await append(settings.nats_url, visibility("z", "final"))
        final = await board(http, seq)
        assert final["provisional"] is False and totals(final)[SECOND.id] == 2.0
        assert final["pending"] == [] and final["locked"] == []

        bad = await http.get(f"/api/standings/{SKILL.id}", params={"token": "forged"})
        assert bad.status_code == 401
        assert bad.headers["content-type"] == "application/problem+json"


async def next_ticker(ws: websockets.ClientConnection, version: int) -> list[dict[str, Any]]:
    async with asyncio.timeout(10):
        while True:
            frame = json.loads(await ws.recv())
            if frame.get("channel") == "ticker" and frame["version"] >= version:
                items: list[dict[str, Any]] = frame["data"]["items"]
                return items


async def test_the_ticker_shows_the_public_only_what_visibility_allows(settings: Settings) -> None:
    feed_url = "/ws"
    async with serving(build_ranking(settings)), serving(build_broadcast(settings)) as url:
        ws_url = url.replace("http", "ws") + feed_url
        async with (
            websockets.connect(ws_url) as public_ws,
            websockets.connect(f"{ws_url}?token={token_of(ORGANIZER)}") as jury_ws,
        ):
            for ws in (public_ws, jury_ws):
                await ws.send(json.dumps({"op": "subscribe", "channel": "ticker"}))
            await append(settings.nats_url, measured("t1", FIRST.id, 1.5))
            public_items = await next_ticker(public_ws, 1)
            assert [(i["competitor"], i["value"]) for i in public_items] == [(FIRST.id, 1.5)]
            assert public_items[0]["name"] == FIRST.name

            await append(
                settings.nats_url, visibility("tf", "frozen"), measured("t2", SECOND.id, 2.0)
            )
            jury_items = await next_ticker(jury_ws, 2)
            public_items = await next_ticker(public_ws, 2)
            assert [i["competitor"] for i in jury_items] == [SECOND.id, FIRST.id]
            assert public_items == []

            await append(
                settings.nats_url, visibility("tp", "progress"), measured("t3", FIRST.id, 0.5)
            )
            public_items = await next_ticker(public_ws, 3)
            assert public_items and all("value" not in i for i in public_items)


async def test_a_snapshot_without_a_public_view_shows_the_public_nothing(
    settings: Settings,
) -> None:
    """Ranking decides what the public sees; broadcast never makes up a public view of its own
    from the jury's, neither on the feed nor in the read API."""
    jury_only = StandingsPublished(
        standings=Standings(
            skill=SKILL.id,
            version=7,
            epoch="e",
            visibility="frozen",
            provisional=True,
            updated_at=iso_now(),
            progress=0.5,
            rows=(StandingsRow(1, FIRST.id, FIRST.name, FIRST.member, 0.5, total=9.0),),
            locked=("A",),
        )
    )
    medals = MedalsPublished(7, iso_now(), MedalTable(True, (), {FIRST.member: (FIRST.id,)}))
    redis = aioredis.from_url(settings.redis_url)
    for key, snapshot in ((keys.standings(SKILL.id), jury_only), (keys.MEDALS, medals)):
        await redis.hset(key, mapping={"version": 7, "data": encoder.encode(snapshot)})
    await redis.aclose()
    jury_token = token_of(ORGANIZER)
    async with (
        serving(build_broadcast(settings)) as url,
        httpx.AsyncClient(base_url=url) as http,
        websockets.connect(url.replace("http", "ws") + "/ws") as public_ws,
        websockets.connect(url.replace("http", "ws") + f"/ws?token={jury_token}") as jury_ws,
    ):
        for ws in (public_ws, jury_ws):
            for channel in (CHANNEL, "medals"):
                await ws.send(json.dumps({"op": "subscribe", "channel": channel}))
        seen = [json.loads(await jury_ws.recv()) for _ in range(2)]
        assert {(m["channel"], m["version"]) for m in seen} == {(CHANNEL, 7), ("medals", 7)}
        # The public's screen was offered whatever it would get before this answer.
        await public_ws.send(json.dumps({"op": "ping"}))
        assert json.loads(await public_ws.recv()) == {"type": "pong"}

        for path in (f"/api/standings/{SKILL.id}", "/api/medals"):
            assert (await http.get(path)).status_code == 503
            assert (await http.get(path, params={"token": jury_token})).status_code == 200
        summary = (await http.get("/api/standings")).json()["skills"]
        assert next(s for s in summary if s["skill"] == SKILL.id)["version"] == 0
