"""Broadcast against real NATS and Redis, fed by a real ranking: the read API and the feed."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import msgspec
import nats
import pytest
import websockets

from services.broadcast import feed as feed_module
from services.broadcast.app import build as build_broadcast
from services.ranking.app import build as build_ranking
from shared import subjects
from shared.events import standings_decoder
from shared.plumbing.settings import Settings
from tests.support.eventually import eventually
from tests.support.log import append, mark
from tests.support.people import demo, judge_for
from tests.support.services import serving

CHAMPIONSHIP = demo()
SKILL = CHAMPIONSHIP.skills[1]
COMPETITOR = CHAMPIONSHIP.index.competitors_of(SKILL.id)[0]
MEASURE = next(a for _, a in SKILL.aspects if a.kind == "measurement")
JUDGED = next(a for _, a in SKILL.aspects if a.kind == "judgement")


async def next_message(ws: websockets.ClientConnection, kind: str = "snapshot") -> dict[str, Any]:
    while True:
        message: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), 10))
        if message["type"] == kind:
            return message


async def board_of(http: httpx.AsyncClient) -> dict[str, Any]:
    board: dict[str, Any] = (await http.get(f"/api/standings/{SKILL.id}")).json()
    return board


async def test_a_screen_gets_the_board_at_once_then_every_change(settings: Settings) -> None:
    async with serving(build_ranking(settings)), serving(build_broadcast(settings)) as url:
        feed = url.replace("http", "ws") + "/ws"
        async with websockets.connect(feed) as ws:
            await ws.send(json.dumps({"op": "subscribe", "channel": f"standings:{SKILL.id}"}))
            first = await next_message(ws)
            assert first["channel"] == f"standings:{SKILL.id}"
            assert len(first["data"]["rows"]) == len(CHAMPIONSHIP.index.competitors_of(SKILL.id))
            judge = judge_for(CHAMPIONSHIP, COMPETITOR)
            [seq] = await append(
                settings.nats_url, mark("b1", COMPETITOR.id, MEASURE.id, judge.id, 1.0, SKILL.id)
            )
            update = await next_message(ws)
            while update["version"] < seq:
                update = await next_message(ws)
            row = next(r for r in update["data"]["rows"] if r["competitor"] == COMPETITOR.id)
            assert row["total"] == 1.0 and row["rank"] == 1
            assert update["epoch"] == first["epoch"]

            await ws.send(json.dumps({"op": "ping"}))
            assert (await next_message(ws, "pong")) == {"type": "pong"}
            await ws.send("{broken")
            assert (await next_message(ws, "error"))["code"] == "bad_message"

        async with websockets.connect(feed) as again:
            since = {"version": update["version"], "epoch": update["epoch"]}
            channel = f"standings:{SKILL.id}"
            await again.send(json.dumps({"op": "subscribe", "channel": channel, "since": since}))
            await again.send(json.dumps({"op": "ping"}))
            # Nothing but the pong: the screen already has the current board.
            assert json.loads(await asyncio.wait_for(again.recv(), 5)) == {"type": "pong"}

        async with httpx.AsyncClient(base_url=url) as http:
            board = (await http.get(f"/api/standings/{SKILL.id}")).json()
            assert board["version"] == update["version"]
            assert board["rows"] == update["data"]["rows"]
            summary = (await http.get("/api/standings")).json()["skills"]
            assert {s["skill"] for s in summary} == {s.id for s in CHAMPIONSHIP.skills}
            missing = await http.get("/api/standings/knitting")
            assert missing.status_code == 404
            assert missing.headers["content-type"] == "application/problem+json"
            assert (await http.get("/readyz")).status_code == 200


async def test_the_public_never_sees_pending_or_disputed_panels(settings: Settings) -> None:
    judge = judge_for(CHAMPIONSHIP, COMPETITOR)
    async with serving(build_ranking(settings)), serving(build_broadcast(settings)) as url:
        [seq] = await append(
            settings.nats_url, mark("p1", COMPETITOR.id, JUDGED.id, judge.id, 2, SKILL.id)
        )
        async with httpx.AsyncClient(base_url=url) as http:
            board = await eventually(
                lambda: board_of(http),
                lambda board: board["version"] >= seq,
                what=f"the board at version {seq}",
            )
    assert board["version"] == seq
    assert board["pending"] == [] and board["disputed"] == []


async def test_a_new_broadcast_shows_the_board_ranking_already_stored(settings: Settings) -> None:
    """A screen that connects to a freshly started broadcast is never blank."""
    async with (
        serving(build_ranking(settings)),
        serving(build_broadcast(settings)) as url,
        websockets.connect(url.replace("http", "ws") + "/ws") as ws,
    ):
        await ws.send(json.dumps({"op": "subscribe", "channel": f"standings:{SKILL.id}"}))
        board = await next_message(ws)
    assert board["data"]["skill"] == SKILL.id


async def test_the_medal_table_reaches_screens_and_the_read_api(settings: Settings) -> None:
    judges = [judge_for(CHAMPIONSHIP, COMPETITOR, n) for n in range(3)]
    async with serving(build_ranking(settings)), serving(build_broadcast(settings)) as url:
        async with websockets.connect(url.replace("http", "ws") + "/ws") as ws:
            await ws.send(json.dumps({"op": "subscribe", "channel": "medals"}))
            first = await next_message(ws)
            await append(
                settings.nats_url,
                *[
                    mark(f"md{n}", COMPETITOR.id, JUDGED.id, judge.id, 3, SKILL.id)
                    for n, judge in enumerate(judges)
                ],
            )
            update = await next_message(ws)
            while not update["data"]["best_of_nation"]:
                update = await next_message(ws)
        async with httpx.AsyncClient(base_url=url) as http:
            table = (await http.get("/api/medals")).json()
    assert first["channel"] == "medals" and update["version"] > first["version"]
    assert {line["member"] for line in table["table"]} == {m.code for m in CHAMPIONSHIP.members}
    leader = table["table"][0]
    assert (leader["member"], leader["gold"], leader["points"]) == (COMPETITOR.member, 1, 4)
    assert table["best_of_nation"] == {COMPETITOR.member: [COMPETITOR.id]}
    assert table["provisional"] is True


async def test_read_api_answers_carry_etags_and_short_cache_headers(settings: Settings) -> None:
    judge = judge_for(CHAMPIONSHIP, COMPETITOR)
    async with (
        serving(build_ranking(settings)),
        serving(build_broadcast(settings)) as url,
        httpx.AsyncClient(base_url=url) as http,
    ):
        first = await http.get(f"/api/standings/{SKILL.id}")
        assert first.headers["cache-control"] == "public, max-age=2"
        etag = first.headers["etag"]
        same = await http.get(f"/api/standings/{SKILL.id}", headers={"If-None-Match": etag})
        assert same.status_code == 304 and same.content == b""
        [seq] = await append(
            settings.nats_url, mark("e1", COMPETITOR.id, MEASURE.id, judge.id, 1.0, SKILL.id)
        )
        changed = await eventually(
            lambda: http.get(f"/api/standings/{SKILL.id}", headers={"If-None-Match": etag}),
            lambda changed: changed.status_code == 200 and changed.json()["version"] >= seq,
            what=f"a new board at version {seq}",
        )
        assert changed.headers["etag"] != etag
        medals = await http.get("/api/medals")
        assert medals.headers["etag"] and medals.headers["cache-control"].startswith("public")


async def test_a_screen_that_never_reads_slows_no_one_and_is_skipped_or_closed(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(feed_module, "SEND_TIMEOUT_S", 1.0)
    base = standings_decoder.decode(
        msgspec.json.encode(
            {
                "type": "standings",
                "standings": {
                    "skill": SKILL.id,
                    "version": 0,
                    "epoch": "e",
                    "visibility": "live",
                    "provisional": True,
                    "updated_at": "t",
                    "progress": 0.5,
                    "rows": [
                        {
                            "rank": n,
                            "competitor": f"X-{n}",
                            "name": "N" * 40,
                            "member": "KZ",
                            "progress": 0.5,
                            "total": float(n),
                            "criteria": {"A": 1.0, "B": 2.0},
                        }
                        for n in range(1, 40)
                    ],
                },
            }
        )
    )
    snapshots = 600
    async with serving(build_broadcast(settings)) as url:
        feed = url.replace("http", "ws") + "/ws"
        subscribe = json.dumps({"op": "subscribe", "channel": f"standings:{SKILL.id}"})
        async with websockets.connect(feed, max_queue=1) as slow, websockets.connect(feed) as fast:
            await slow.send(subscribe)
            await fast.send(subscribe)
            connection = await nats.connect(settings.nats_url)
            for version in range(1, snapshots + 1):
                standings = msgspec.structs.replace(base.standings, version=version)
                # As ranking publishes them: with the public's view (here the same board).
                snapshot = msgspec.structs.replace(base, standings=standings, public=standings)
                payload = msgspec.json.encode(snapshot)
                await connection.publish(
                    subjects.standings(SKILL.id),
                    payload,
                    headers={"content-type": "application/json"},
                )
            await connection.flush()
            await connection.close()
            fast_versions: list[int] = []
            async with asyncio.timeout(10):
                while not fast_versions or fast_versions[-1] < snapshots:
                    fast_versions.append(json.loads(await fast.recv())["version"])
            # The scenario, not a wait for anything: a screen that takes nothing for longer
            # than the send timeout.
            await asyncio.sleep(1.5)
            slow_versions: list[int] = []
            try:
                async with asyncio.timeout(5):
                    while not slow_versions or slow_versions[-1] < snapshots:
                        slow_versions.append(json.loads(await slow.recv())["version"])
                closed = None
            except websockets.ConnectionClosed as error:
                closed = error.rcvd.code if error.rcvd else None
    assert fast_versions == sorted(fast_versions) and fast_versions[-1] == snapshots
    # The slow screen either skipped to the latest board or was let go with 1013.
    assert closed == 1013 or (slow_versions[-1] == snapshots and len(slow_versions) < snapshots)
