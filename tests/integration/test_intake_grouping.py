"""Marks posted at the same moment, stored as one atomic batch, against a real JetStream: each
answer still says what the log holds (its own sequence, 201 only once stored, dedup by id)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import msgspec
import nats
import pytest
from starlette.applications import Starlette

from services.intake.app import build
from services.intake.marks.grouping import BatchAck, Grouped, Waiting
from shared import subjects
from shared.events import MarkRecorded
from shared.plumbing.settings import Settings
from tests.support.people import auth, demo, judge_for
from tests.support.services import serving

CHAMPIONSHIP = demo()
COMPETITOR = CHAMPIONSHIP.competitors[0]
JUDGE = judge_for(CHAMPIONSHIP, COMPETITOR)
MEASURE = next(
    a for _, a in CHAMPIONSHIP.index.skills[COMPETITOR.skill].aspects if a.kind == "measurement"
)
AT_ONCE = 40
mark_decoder = msgspec.json.Decoder(MarkRecorded)


@dataclass
class Intake:
    http: httpx.AsyncClient
    grouped: Grouped
    # The size of every batch committed, as the committer sent them.
    batches: list[int]


@pytest.fixture
async def intake(settings: Settings) -> AsyncIterator[Intake]:
    app: Starlette = build(settings)
    limits = httpx.Limits(max_connections=AT_ONCE * 2)
    async with (
        serving(app) as url,
        httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as http,
    ):
        grouped: Grouped = app.state.intake.events.grouped
        batches: list[int] = []
        committed = grouped.batch

        async def batch(group: list[Waiting]) -> BatchAck:
            batches.append(len(group))
            return await committed(group)

        grouped.batch = batch  # type: ignore[method-assign]
        yield Intake(http, grouped, batches)


def mark(mark_id: str, value: float = 1.5) -> dict[str, object]:
    return {"id": mark_id, "competitor": COMPETITOR.id, "aspect": MEASURE.id, "value": value}


async def post_all(intake: Intake, marks: list[dict[str, object]]) -> list[httpx.Response]:
    headers = auth(JUDGE)
    return list(
        await asyncio.gather(
            *(intake.http.post("/api/marks", json=m, headers=headers) for m in marks)
        )
    )


async def stored_at(settings: Settings, seq: int) -> MarkRecorded:
    connection = await nats.connect(settings.nats_url)
    try:
        message = await connection.jetstream().get_msg(subjects.COMMANDS_STREAM, seq)
        return mark_decoder.decode(message.data or b"")
    finally:
        await connection.close()


async def stored_count(settings: Settings) -> int:
    connection = await nats.connect(settings.nats_url)
    try:
        return (await connection.jetstream().stream_info(subjects.COMMANDS_STREAM)).state.messages
    finally:
        await connection.close()


async def test_marks_posted_together_go_in_batches_each_with_its_own_seq(
    settings: Settings, intake: Intake
) -> None:
    answers = await post_all(intake, [mark(f"g-{n}", n / 10) for n in range(AT_ONCE)])
    assert [a.status_code for a in answers] == [201] * AT_ONCE
    seqs = [a.json()["seq"] for a in answers]
    assert sorted(seqs) == list(range(1, AT_ONCE + 1))
    for n, seq in enumerate(seqs):
        stored = await stored_at(settings, seq)
        assert (stored.id, stored.value) == (f"g-{n}", n / 10)
    # Marks that came while the committer was busy (or in the same instant) went together.
    assert intake.batches and max(intake.batches) > 1


async def test_a_duplicate_in_a_batch_gets_its_first_seq_and_the_others_are_stored(
    settings: Settings, intake: Intake
) -> None:
    [first] = await post_all(intake, [mark("d-0")])
    assert first.status_code == 201
    again = [mark("d-0"), *(mark(f"d-{n}") for n in range(1, AT_ONCE))]
    answers = await post_all(intake, again)
    assert answers[0].status_code == 200
    assert answers[0].json()["seq"] == first.json()["seq"]
    assert [a.status_code for a in answers[1:]] == [201] * (AT_ONCE - 1)
    for n, answer in enumerate(answers[1:], start=1):
        assert (await stored_at(settings, answer.json()["seq"])).id == f"d-{n}"
    assert await stored_count(settings) == AT_ONCE


async def test_the_same_new_id_twice_at_once_is_stored_once(
    settings: Settings, intake: Intake
) -> None:
    """Both in one batch: JetStream refuses it whole; alone, one is stored, the other is its
    duplicate (same mark) or a conflict (another value under the same id)."""
    marks = [mark("twice"), mark("twice"), mark("clash", 1.0), mark("clash", 2.0)]
    marks += [mark(f"t-{n}") for n in range(AT_ONCE)]
    answers = await post_all(intake, marks)
    assert sorted(a.status_code for a in answers[:2]) == [200, 201]
    assert answers[0].json()["seq"] == answers[1].json()["seq"]
    assert sorted(a.status_code for a in answers[2:4]) == [201, 409]
    assert [a.status_code for a in answers[4:]] == [201] * AT_ONCE
    assert await stored_count(settings) == AT_ONCE + 2


async def test_a_stream_without_atomic_batches_still_stores_every_mark(
    settings: Settings, intake: Intake
) -> None:
    connection = await nats.connect(settings.nats_url)
    try:
        js = connection.jetstream()
        config = (await js.stream_info(subjects.COMMANDS_STREAM)).config
        config.allow_atomic = False
        await js.update_stream(config)
    finally:
        await connection.close()
    answers = await post_all(intake, [mark(f"n-{n}") for n in range(AT_ONCE)])
    assert [a.status_code for a in answers] == [201] * AT_ONCE
    seqs = sorted(a.json()["seq"] for a in answers)
    assert seqs == list(range(1, AT_ONCE + 1))
    assert not intake.grouped.batches  # told once, it publishes one by one from then on
    answers = await post_all(intake, [mark(f"m-{n}") for n in range(AT_ONCE)])
    assert [a.status_code for a in answers] == [201] * AT_ONCE
