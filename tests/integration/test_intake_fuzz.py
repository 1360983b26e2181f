"""Generated requests against a real intake: never a server error, never a refused command stored.

Bounded: a few hundred hypothesis bodies and a schemathesis run over /openapi.json, both well
under a minute here.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.core.result import Ok

from tests.support.people import auth, demo, judge_for
from tests.support.subprocesses import IntakeAlone

CHAMPIONSHIP = demo()
COMPETITOR = CHAMPIONSHIP.competitors[0]
JUDGE = judge_for(CHAMPIONSHIP, COMPETITOR)
ASPECTS = [a.id for _, a in CHAMPIONSHIP.index.skills[COMPETITOR.skill].aspects]


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
    intake_process: IntakeAlone, body: tuple[str, Any], path: str
) -> None:
    kind, content = body
    before = intake_process.stored()
    with httpx.Client(base_url=intake_process.url, headers=auth(JUDGE), timeout=10) as client:
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
        assert intake_process.stored() == before, response.text


def test_the_api_keeps_its_openapi_promises(intake_process: IntakeAlone) -> None:
    """schemathesis: cases generated from /openapi.json; no 5xx, answers match the document."""
    api = schemathesis.openapi.from_url(f"{intake_process.url}/openapi.json")
    results = list(api.get_all_operations())
    assert all(isinstance(result, Ok) for result in results), "the document has an invalid part"
    operations = [result.ok() for result in results if isinstance(result, Ok)]
    assert len(operations) >= 10
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
        def check(case: Any) -> None:
            case.call_and_validate(base_url=intake_process.url, headers=auth(JUDGE))

        check()
