"""Intake's rate limits: a token or an address over its share gets 429 with `Retry-After`,
before anything is stored; others go on, and the pages and health checks are never limited."""

from __future__ import annotations

import httpx
import msgspec

from services.intake.app import build
from shared.plumbing.settings import Settings
from tests.integration.test_intake import COMPETITOR, JUDGE, MEASURE, stored_commands
from tests.support.people import auth, demo, judge_for
from tests.support.services import serving


def body(n: int) -> dict[str, object]:
    return {"id": f"burst-{n}", "competitor": COMPETITOR.id, "aspect": MEASURE.id, "value": 1.0}


async def test_a_token_over_its_rate_waits_and_stores_nothing_meanwhile(settings: Settings) -> None:
    limited = msgspec.structs.replace(settings, rate_token_per_s=0.001, rate_token_burst=3)
    other = judge_for(demo(), COMPETITOR, 1)
    # One token, as one tablet sends it (every token has an id of its own).
    token = auth(JUDGE)
    async with serving(build(limited)) as url, httpx.AsyncClient(base_url=url) as http:
        answers = [await http.post("/api/marks", json=body(n), headers=token) for n in range(5)]
        assert [a.status_code for a in answers] == [201, 201, 201, 429, 429]
        refused = answers[3]
        assert refused.headers["content-type"] == "application/problem+json"
        assert int(refused.headers["retry-after"]) >= 1
        assert "from this token" in refused.json()["detail"]
        assert (await http.post("/api/marks", json=body(9), headers=auth(other))).status_code == 201
        assert (await http.get("/healthz")).status_code == 200
        metrics = (await http.get("/metrics")).text
    assert 'podium_intake_throttled_total{per="token"} 2.0' in metrics
    assert sorted(c.id for c in await stored_commands(settings)) == [
        "burst-0",
        "burst-1",
        "burst-2",
        "burst-9",
    ]


async def test_an_address_over_its_rate_is_refused_whatever_the_token(settings: Settings) -> None:
    limited = msgspec.structs.replace(settings, rate_address_per_s=0.001, rate_address_burst=2)
    async with serving(build(limited)) as url, httpx.AsyncClient(base_url=url) as http:
        codes = [(await http.get("/api/championship")).status_code for _ in range(3)]
        refused = await http.post("/api/marks", json=body(1), headers=auth(JUDGE))
        assert (await http.get("/readyz")).status_code == 200
    assert codes == [200, 200, 429]
    assert refused.status_code == 429 and "from this address" in refused.json()["detail"]
    assert await stored_commands(settings) == []
