"""Intake against a real JetStream: stored once, answered only after the log has it."""

from __future__ import annotations

import asyncio

import httpx
import msgspec
import nats
import pytest

from services.intake.app import build
from shared import subjects
from shared.events import MarkRecorded
from shared.plumbing.settings import Settings
from tests.support.eventually import eventually
from tests.support.people import auth, compatriot_of, demo, judge_for
from tests.support.servers import Server
from tests.support.services import serving

CHAMPIONSHIP = demo()
COMPETITOR = CHAMPIONSHIP.competitors[0]
JUDGE = judge_for(CHAMPIONSHIP, COMPETITOR)
MEASURE = next(
    a for _, a in CHAMPIONSHIP.index.skills[COMPETITOR.skill].aspects if a.kind == "measurement"
)
JUDGED = next(
    a for _, a in CHAMPIONSHIP.index.skills[COMPETITOR.skill].aspects if a.kind == "judgement"
)


def mark(
    mark_id: str = "m-1", value: float | None = 1.5, aspect: str = MEASURE.id
) -> dict[str, object]:
    return {"id": mark_id, "competitor": COMPETITOR.id, "aspect": aspect, "value": value}


# These tests store marks only: decoding as MarkRecorded fails loudly if anything else is there.
mark_decoder = msgspec.json.Decoder(MarkRecorded)


async def stored_commands(settings: Settings) -> list[MarkRecorded]:
    connection = await nats.connect(settings.nats_url)
    try:
        js = connection.jetstream()
        info = await js.stream_info(subjects.COMMANDS_STREAM)
        return [
            mark_decoder.decode((await js.get_msg(subjects.COMMANDS_STREAM, seq)).data or b"")
            for seq in range(info.state.first_seq, info.state.last_seq + 1)
            if info.state.messages
        ]
    finally:
        await connection.close()


async def test_a_mark_is_stored_once_and_a_retry_gets_the_first_seq(
    intake: httpx.AsyncClient, settings: Settings
) -> None:
    first = await intake.post("/api/marks", json=mark(), headers=auth(JUDGE))
    assert first.status_code == 201
    assert first.json() == {"id": "m-1", "seq": 1, "duplicate": False}
    again = await intake.post("/api/marks", json=mark(), headers=auth(JUDGE))
    assert again.status_code == 200
    assert again.json() == {"id": "m-1", "seq": 1, "duplicate": True}
    [stored] = await stored_commands(settings)
    assert (stored.competitor, stored.aspect, stored.expert, stored.value) == (
        COMPETITOR.id,
        MEASURE.id,
        JUDGE.id,
        1.5,
    )
    assert stored.skill == COMPETITOR.skill


async def test_the_same_id_with_another_mark_is_a_conflict(
    intake: httpx.AsyncClient, settings: Settings
) -> None:
    assert (await intake.post("/api/marks", json=mark(), headers=auth(JUDGE))).status_code == 201
    other = await intake.post("/api/marks", json=mark(value=2.0), headers=auth(JUDGE))
    assert other.status_code == 409
    assert other.headers["content-type"] == "application/problem+json"
    assert "already used" in other.json()["detail"]
    assert len(await stored_commands(settings)) == 1


async def test_judgement_scores_and_withdrawals_are_accepted(intake: httpx.AsyncClient) -> None:
    score = await intake.post("/api/marks", json=mark("j-1", 3, JUDGED.id), headers=auth(JUDGE))
    assert score.status_code == 201
    withdrawn = await intake.post(
        "/api/marks", json=mark("j-2", None, JUDGED.id), headers=auth(JUDGE)
    )
    assert withdrawn.status_code == 201


@pytest.mark.parametrize(
    ("body", "status", "path"),
    [
        (mark(value=MEASURE.max_mark + 0.5), 422, "value"),
        (mark(value=-1), 422, "value"),
        (mark(value="high"), 422, "value"),  # type: ignore[arg-type]
        (mark(aspect=JUDGED.id, value=1.5), 422, "value"),
        ({**mark(), "colour": "red"}, 422, "colour"),
        ({"id": "m-1", "competitor": "x", "aspect": "A1"}, 422, "value"),
        ({**mark(), "id": "has space"}, 422, "id"),
        ({**mark(), "id": "x" * 65}, 422, "id"),
        ({**mark(), "competitor": "NOBODY"}, 404, "competitor"),
        (mark(aspect="Z9"), 404, "aspect"),
    ],
)
async def test_bad_marks_are_refused_with_the_field_named(
    intake: httpx.AsyncClient, settings: Settings, body: dict[str, object], status: int, path: str
) -> None:
    response = await intake.post("/api/marks", json=body, headers=auth(JUDGE))
    assert response.status_code == status, response.text
    problem = response.json()
    assert problem["status"] == status and problem["title"] and problem["detail"]
    if path != "$":
        assert problem["errors"][0]["path"] == path
    assert await stored_commands(settings) == []


async def test_who_may_mark(intake: httpx.AsyncClient, settings: Settings) -> None:
    organizer = next(e for e in CHAMPIONSHIP.experts if e.role == "organizer")
    other_skill = next(e for e in CHAMPIONSHIP.experts if e.skill not in (None, COMPETITOR.skill))
    refused = {
        "organizers_do_not_mark": organizer,
        "other_skill": other_skill,
        "compatriot": compatriot_of(CHAMPIONSHIP, COMPETITOR),
    }
    for code, person in refused.items():
        response = await intake.post("/api/marks", json=mark(), headers=auth(person))
        assert response.status_code == 403, person
        assert response.json()["code"] == code
    # The refusal metric counts by the same code, whatever the title says to people.
    metrics = (await intake.get("/metrics")).text
    for code in refused:
        assert f'podium_intake_commands_total{{command="mark",outcome="{code}"}} 1.0' in metrics
    assert (await intake.post("/api/marks", json=mark())).status_code == 401
    forged = auth(JUDGE, secret="another-secret-of-at-least-thirty-two-bytes")
    assert (await intake.post("/api/marks", json=mark(), headers=forged)).status_code == 401
    assert await stored_commands(settings) == []


async def test_oversized_and_malformed_bodies(intake: httpx.AsyncClient) -> None:
    huge = b'{"id": "' + b"x" * 70_000 + b'"}'
    too_big = await intake.post("/api/marks", content=huge, headers=auth(JUDGE))
    assert too_big.status_code == 413
    broken = await intake.post("/api/marks", content=b"{nope", headers=auth(JUDGE))
    assert broken.status_code == 422  # docs/api.md: NaN and other non-JSON are 422


@pytest.mark.own_servers
async def test_503_while_nats_is_down_then_the_retry_is_stored(
    intake: httpx.AsyncClient, nats: Server, settings: Settings
) -> None:
    nats.stop()
    down = await intake.post("/api/marks", json=mark(), headers=auth(JUDGE))
    assert down.status_code == 503
    assert down.headers["retry-after"]
    not_ready = await intake.get("/readyz")
    assert not_ready.status_code == 503 and not_ready.json()["parts"]["nats"] is False
    nats.start()
    retry = await eventually(
        lambda: intake.post("/api/marks", json=mark(), headers=auth(JUDGE)),
        lambda retry: retry.status_code != 503,
        every=0.1,
        what="intake storing marks again",
    )
    # 201, or 200 if an earlier attempt reached the log though its answer did not come back.
    assert retry.status_code in (200, 201)
    assert retry.json()["seq"] == 1
    assert len(await stored_commands(settings)) == 1


async def test_health_readiness_metrics_and_championship(intake: httpx.AsyncClient) -> None:
    assert (await intake.get("/healthz")).status_code == 200
    ready = await intake.get("/readyz")
    assert ready.json() == {"status": "ready", "parts": {"nats": True, "redis": True}}
    await intake.post("/api/marks", json=mark(), headers=auth(JUDGE))
    metrics = (await intake.get("/metrics")).text
    assert 'podium_intake_commands_total{command="mark",outcome="accepted"} 1.0' in metrics
    assert "podium_intake_request_seconds_bucket" in metrics
    championship = (await intake.get("/api/championship")).json()
    assert championship["id"] == "turkicskills-2025"
    # What the marking page shows of the scheme: descriptors, requirement, day, sub-criteria.
    skill = next(s for s in championship["skills"] if s["id"] == COMPETITOR.skill)
    aspects = {a["id"]: a for c in skill["criteria"] for a in c["aspects"]}
    assert aspects[JUDGED.id]["descriptors"] == list(JUDGED.descriptors) and JUDGED.descriptors
    assert aspects[MEASURE.id]["requirement"] == MEASURE.requirement and MEASURE.requirement
    assert aspects[MEASURE.id]["day"] == MEASURE.day and MEASURE.day
    assert skill["criteria"][0]["sub_criteria"][0]["id"] == aspects[MEASURE.id]["sub_criterion"]


async def test_an_id_is_remembered_after_a_restart_and_past_the_dedup_window(
    settings: Settings,
) -> None:
    """JetStream forgets Nats-Msg-Id after its window; the stream's per-id subject does not."""
    short = msgspec.structs.replace(settings, dedup_window_s=1.0)
    async with serving(build(short)) as url, httpx.AsyncClient(base_url=url) as client:
        first = await client.post("/api/marks", json=mark("kept"), headers=auth(JUDGE))
        assert first.status_code == 201
    await asyncio.sleep(1.5)  # the scenario, not a wait: past JetStream's 1 s window
    async with serving(build(short)) as url, httpx.AsyncClient(base_url=url) as client:
        again = await client.post("/api/marks", json=mark("kept"), headers=auth(JUDGE))
        other = await client.post("/api/marks", json=mark("kept", value=0.5), headers=auth(JUDGE))
    assert again.status_code == 200
    assert again.json() == {"id": "kept", "seq": first.json()["seq"], "duplicate": True}
    assert other.status_code == 409
    assert len(await stored_commands(settings)) == 1


async def test_ids_with_dots_and_colons_stay_distinct(intake: httpx.AsyncClient) -> None:
    for mark_id in ("tab.1", "tab~1", "tab:1", "tab-1"):
        if "~" in mark_id:
            response = await intake.post("/api/marks", json=mark(mark_id), headers=auth(JUDGE))
            assert response.status_code == 422
            continue
        response = await intake.post("/api/marks", json=mark(mark_id), headers=auth(JUDGE))
        assert response.status_code == 201, (mark_id, response.text)
