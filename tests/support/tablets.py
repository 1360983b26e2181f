"""Experts' tablets and venue screens for the fault tests: the tablets retry each mark with
the same id until it is stored, and remember what intake acknowledged; the screens reconnect
and resume with `since`, and remember the last board of each skill."""

from __future__ import annotations

import asyncio
import contextlib
import json
from dataclasses import dataclass, field
from typing import Any

import httpx
import websockets

from services.tools.demo.experts import PlannedMark
from shared.championship import Championship
from tests.support.people import token_of

RETRY_S = 0.2


@dataclass
class Acknowledged:
    """What intake confirmed: each mark once, in the order its tablet had it confirmed."""

    marks: list[dict[str, Any]] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    attempts: int = 0
    refused_for_now: int = 0  # 503s and broken connections, retried


class Tablet:
    def __init__(
        self, championship: Championship, intake: str, secret: str, acknowledged: Acknowledged
    ) -> None:
        self.skill_of = {c.id: c.skill for c in championship.competitors}
        self.tokens = {e.id: token_of(e, secret) for e in championship.experts}
        self.intake = intake
        self.acknowledged = acknowledged

    async def mark(self, http: httpx.AsyncClient, mark: PlannedMark, value: float | None) -> None:
        body = {"id": mark.id, "competitor": mark.competitor, "aspect": mark.aspect}
        body["value"] = value  # type: ignore[assignment]
        headers = {"Authorization": f"Bearer {self.tokens[mark.expert]}"}
        while True:
            self.acknowledged.attempts += 1
            try:
                response = await http.post(
                    f"{self.intake}/api/marks", json=body, headers=headers, timeout=5
                )
            except httpx.HTTPError:
                self.acknowledged.refused_for_now += 1
            else:
                if response.status_code in (200, 201):
                    break
                # Anything but "not now" would be a refusal of a valid mark: a bug.
                assert response.status_code == 503, (response.status_code, response.text)
                self.acknowledged.refused_for_now += 1
            await asyncio.sleep(RETRY_S)
        assert mark.id not in self.acknowledged.ids, f"{mark.id} acknowledged twice"
        self.acknowledged.ids.add(mark.id)
        self.acknowledged.marks.append(
            {
                "type": "mark",
                "id": mark.id,
                "skill": self.skill_of[mark.competitor],
                "competitor": mark.competitor,
                "aspect": mark.aspect,
                "expert": mark.expert,
                "value": value,
            }
        )


class Screen:
    """A venue screen on every skill's board, reconnecting whenever the feed goes away."""

    def __init__(self, url: str, skills: list[str]) -> None:
        self.url = url
        self.channels = [f"standings:{s}" for s in skills]
        self.latest: dict[str, dict[str, Any]] = {}
        self.reconnects = 0

    async def watch(self) -> None:
        while True:
            with contextlib.suppress(OSError, websockets.WebSocketException, TimeoutError):
                async with websockets.connect(self.url, open_timeout=3) as ws:
                    for channel in self.channels:
                        await ws.send(json.dumps(self.subscription(channel)))
                    async for raw in ws:
                        frame = json.loads(raw)
                        if frame["type"] == "snapshot":
                            self.latest[frame["channel"]] = frame
            self.reconnects += 1
            await asyncio.sleep(RETRY_S)

    @staticmethod
    async def stop(watching: asyncio.Task[None]) -> None:
        """Stop watching and wait until the connection is closed."""
        watching.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watching

    def subscription(self, channel: str) -> dict[str, Any]:
        asked: dict[str, Any] = {"op": "subscribe", "channel": channel}
        seen = self.latest.get(channel)
        if seen:
            asked["since"] = {"version": seen["version"], "epoch": seen["epoch"]}
        return asked
