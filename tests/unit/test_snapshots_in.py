"""Broadcast's way in for ranking's snapshots (`handlers.follow`): each message decoded by
msgspec into its Struct and handed to its receiver; one it cannot read is logged and dropped,
and the screens keep what they show."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from nats.aio.msg import Msg

from services.broadcast.handlers import FOLLOWED, receiver
from shared import subjects
from shared.events import MedalsPublished, StandingsPublished, TickerPublished, encoder
from tests.support.boards import empty_board


def message(data: bytes) -> Msg:
    return Msg(_client=None, subject="podium.standings.welding", data=data)  # type: ignore[arg-type]


async def test_a_snapshot_reaches_itsreceiver_as_its_struct() -> None:
    got: list[Any] = []
    board = empty_board("welding", 7, "e1")
    snapshot = StandingsPublished(standings=board, marks=("m1",), public=board)
    await receiver(subjects.STANDINGS_ALL, StandingsPublished, got.append)(
        message(encoder.encode(snapshot))
    )
    assert got == [snapshot]


@pytest.mark.parametrize("data", [b"not json", b'{"standings": 3}', b"{}"])
async def test_a_message_that_is_no_snapshot_is_logged_and_dropped(
    data: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    got: list[Any] = []
    with caplog.at_level(logging.ERROR, logger="podium.broadcast"):
        await receiver(subjects.STANDINGS_ALL, StandingsPublished, got.append)(message(data))
    assert got == []
    assert [r.getMessage() for r in caplog.records] == ["snapshot not understood"]


def test_every_snapshot_subject_is_followed_with_its_own_struct() -> None:
    assert {(subject, kind) for subject, kind, _ in FOLLOWED} == {
        (subjects.STANDINGS_ALL, StandingsPublished),
        (subjects.MEDALS, MedalsPublished),
        (subjects.TICKER, TickerPublished),
    }
