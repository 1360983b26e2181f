"""Generated requests against a real intake: never a server error, never a refused command stored.

Bounded: a few hundred hypothesis bodies and a schemathesis run over /openapi.json, both well
under a minute here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.core.result import Ok

from shared.settings import Settings
from tests.support.log import stored_count
from tests.support.people import SECRET, auth, demo, judge_for
from tests.support.servers import nats_server, redis_server, running
from tests.support.subprocesses import service

CHAMPIONSHIP = demo()
COMPETITOR = CHAMPIONSHIP.competitors[0]
JUDGE = judge_for(CHAMPIONSHIP, COMPETITOR)
ASPECTS = [a.id for _, a in CHAMPIONSHIP.index.skills[COMPETITOR.skill].aspects]


class Stack:
    def __init__(self, url: str, settings: Settings) -> None:
        self.url = url
        self.settings = settings

    def stored(self) -> int:
        return stored_count(self.settings.nats_url)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    root = tmp_path_factory.mktemp("fuzz")
    with running(nats_server(root / "nats")) as n, running(redis_server(root / "redis")) as r:
        settings = Settings(
            nats_url=f"nats://127.0.0.1:{n.port}",
            redis_url=f"redis://127.0.0.1:{r.port}/0",
            secret=SECRET,
        )
        with service("intake", settings, root / "intake.log") as url:
            yield Stack(url, settings)


json_values = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False) | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
mark_like = st.fixed_dictionaries(
    {},
    optional={
        "id": st.text(max_size=70) | json_values,
        "competitor": st.sampled_from([COMPETITOR.id, "NOBODY", ""]) | json_values,
        "aspect": st.sampled_from([*ASPECTS, "Z9"]) | json_values,
        "value": st.floats() | st.integers(-5, 200) | json_values,
        "extra": json_values,
    },
)
bodies = mark_like.map(lambda body: ("json", body)) | st.binary(max_size=300).map(
    lambda raw: ("raw", raw)
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=bodies, path=st.sampled_from(["/api/marks", "/api/marks/batch"]))
def test_random_bodies_never_fail_the_server_nor_store_a_refusal(
    stack: Stack, body: tuple[str, Any], path: str
) -> None:
    kind, content = body
    before = stack.stored()
    with httpx.Client(base_url=stack.url, headers=auth(JUDGE), timeout=10) as client:
        if kind == "json":
            payload = {"marks": [content]} if path.endswith("batch") else content
            # json.dumps writes NaN and Infinity as they come: intake must refuse them too.
            raw = json.dumps(payload).encode()
            response = client.post(path, content=raw, headers={"content-type": "application/json"})
        else:
            response = client.post(path, content=content)
    assert response.status_code < 500, response.text
    if response.status_code >= 400 or (
        path.endswith("batch") and all(r["status"] >= 400 for r in response.json()["results"])
    ):
        assert stack.stored() == before, response.text


def test_the_api_keeps_its_openapi_promises(stack: Stack) -> None:
    """schemathesis: cases generated from /openapi.json; no 5xx, answers match the document."""
    api = schemathesis.openapi.from_url(f"{stack.url}/openapi.json")
    results = list(api.get_all_operations())
    assert all(isinstance(result, Ok) for result in results), "the document has an invalid part"
    operations = [result.ok() for result in results if isinstance(result, Ok)]
    assert len(operations) >= 10
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
        def check(case: Any) -> None:
            case.call_and_validate(base_url=stack.url, headers=auth(JUDGE))

        check()
