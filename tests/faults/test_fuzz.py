"""Ten thousand generated requests against a real intake process: every endpoint and method,
good, forged, expired and missing tokens, wrong content types, broken JSON and CSV, deep
nesting and oversized bodies. Never a 5xx, and the log holds exactly the commands that were
answered 201: nothing refused was stored, nothing accepted was lost."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from shared.plumbing.tokens import Identity, issue
from shared.signoff.forms import forms_of
from tests.support.people import SECRET, demo, judge_for, token_of
from tests.support.subprocesses import IntakeAlone

pytestmark = [pytest.mark.faults, pytest.mark.timeout(600)]

REQUESTS = 10_000
CHAMPIONSHIP = demo()
SKILL = CHAMPIONSHIP.skills[0]
COMPETITORS = [c.id for c in CHAMPIONSHIP.index.competitors_of(SKILL.id)]
ASPECTS = [a.id for _, a in SKILL.aspects]
CRITERIA = [c.id for c in SKILL.criteria]
FORM = f"/api/skills/{SKILL.id}/forms/{forms_of(SKILL)[0].id}"
PEOPLE = [
    judge_for(CHAMPIONSHIP, CHAMPIONSHIP.index.competitors_of(SKILL.id)[0]),
    next(e for e in CHAMPIONSHIP.experts if e.skill == SKILL.id and e.role == "chief"),
    next(e for e in CHAMPIONSHIP.experts if e.role == "organizer"),
    next(e for e in CHAMPIONSHIP.experts if e.skill != SKILL.id),
]
MARKABLE = [
    c.id for c in CHAMPIONSHIP.index.competitors_of(SKILL.id) if c.member != PEOPLE[0].member
]
MEASURED = [a.id for _, a in SKILL.aspects if a.kind == "measurement" and a.max_mark >= 4]
TOKENS = [
    *(token_of(person) for person in PEOPLE),
    token_of(PEOPLE[0], "another-secret-of-thirty-two-characters-or-more"),
    issue(Identity(PEOPLE[0].id, PEOPLE[0].role), SECRET, -60),  # expired
    issue(Identity(PEOPLE[0].id, "organizer"), SECRET, 3600),  # a role they do not have
    token_of(PEOPLE[0])[:-4] + "AAAA",  # tampered
    "not-a-token",
    "",
]


json_values = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
ids = st.text(alphabet="abcXYZ019._:-~ /", min_size=0, max_size=70) | json_values
marks = st.fixed_dictionaries(
    {},
    optional={
        "id": ids,
        "competitor": st.sampled_from([*COMPETITORS, "NOBODY"]) | json_values,
        "aspect": st.sampled_from([*ASPECTS, "Z9"]) | json_values,
        "value": st.sampled_from([0, 1, 2, 3, 1.5, -1, 999, None]) | json_values,
        "extra": json_values,
    },
)
csv_lines = st.lists(
    st.tuples(
        ids.map(str), st.sampled_from(COMPETITORS), st.sampled_from(ASPECTS), st.text(max_size=5)
    ),
    max_size=5,
).map(lambda rows: "id,competitor,aspect,value\n" + "".join(",".join(r) + "\n" for r in rows))
bodies = st.one_of(
    marks.map(lambda m: ("application/json", json.dumps(m).encode())),
    st.lists(marks, max_size=5).map(
        lambda ms: ("application/json", json.dumps({"marks": ms}).encode())
    ),
    csv_lines.map(lambda text: ("text/csv", text.encode())),
    st.fixed_dictionaries(
        {"criterion": st.sampled_from([*CRITERIA, "Q"]) | json_values},
        optional={"reason": st.text(max_size=20) | json_values},
    ).map(lambda b: ("application/json", json.dumps(b).encode())),
    st.fixed_dictionaries(
        {"mode": st.sampled_from(["live", "progress", "frozen", "final", "x"])}
    ).map(lambda b: ("application/json", json.dumps(b).encode())),
    st.fixed_dictionaries(
        {"digest": st.text(alphabet="0123456789abcdef", min_size=63, max_size=65) | json_values}
    ).map(lambda b: ("application/json", json.dumps(b).encode())),
    st.binary(max_size=200).map(lambda raw: ("application/octet-stream", raw)),
    st.integers(1, 4000).map(lambda depth: ("application/json", b"[" * depth + b"]" * depth)),
    st.just(("application/json", b'{"id": "big", "pad": "' + b"x" * 70_000 + b'"}')),
    st.just(("application/json", b"")),
    st.sampled_from(["text/plain", "application/xml", "multipart/form-data", ""]).map(
        lambda kind: (kind, b'{"id": "x"}')
    ),
)
endpoints = st.sampled_from(
    [
        ("POST", "/api/marks"),
        ("POST", "/api/marks/batch"),
        ("POST", f"/api/skills/{SKILL.id}/locks"),
        ("DELETE", f"/api/skills/{SKILL.id}/locks/{CRITERIA[0]}"),
        ("PUT", f"/api/skills/{SKILL.id}/visibility"),
        ("POST", f"/api/skills/{SKILL.id}/reveal"),
        ("GET", f"/api/audit?skill={SKILL.id}&after=0&limit=5"),
        ("GET", "/api/audit?after=-1&limit=x"),
        ("GET", "/api/championship"),
        ("GET", "/api/me"),
        ("GET", "/api/me/marks"),
        ("GET", f"/api/skills/{SKILL.id}/board"),
        ("GET", "/openapi.json"),
        ("GET", f"/api/skills/{SKILL.id}/forms"),
        ("GET", FORM),
        ("GET", f"{FORM}/print"),
        ("POST", f"{FORM}/signoff"),
        ("POST", f"{FORM}/reopen"),
        ("GET", f"/api/skills/{SKILL.id}/forms/Q9"),
    ]
) | st.tuples(
    st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]),
    st.sampled_from(["/api/marks", f"/api/skills/{SKILL.id}/locks", "/api/skills/x/reveal"])
    | st.text(alphabet="/abc%.", max_size=20).map(lambda p: "/api/" + p),
)


def created_by(response: httpx.Response) -> int:
    """How many commands this answer says were stored now (a batch answers per item)."""
    if response.status_code == 201:
        return 1
    if response.status_code == 200 and response.request.url.path.endswith("/batch"):
        results: list[dict[str, Any]] = response.json()["results"]
        return sum(1 for result in results if result["status"] == 201)
    return 0


def test_ten_thousand_generated_requests(intake_process: IntakeAlone, tmp_path: Path) -> None:
    http = httpx.Client(base_url=intake_process.url, timeout=10)
    statuses: dict[int, int] = {}
    created = 0

    @settings(
        max_examples=REQUESTS,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(endpoint=endpoints, token=st.sampled_from(TOKENS), body=bodies)
    def one(endpoint: tuple[str, str], token: str, body: tuple[str, bytes]) -> None:
        nonlocal created
        method, path = endpoint
        kind, content = body
        headers = {"content-type": kind} if kind else {}
        if token:
            headers["authorization"] = f"Bearer {token}"
        response = http.request(method, path, content=content, headers=headers)
        assert response.status_code < 500, (method, path, content[:200], response.text)
        assert response.status_code != 429
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        created += created_by(response)

    try:
        one()
    finally:
        http.close()
    sent = sum(statuses.values())
    print(f"{sent} requests: {dict(sorted(statuses.items()))}; {created} stored")
    assert sent >= REQUESTS
    assert intake_process.stored() == created
    (Path(__file__).parents[2] / "test-artifacts").mkdir(exist_ok=True)
    (Path(__file__).parents[2] / "test-artifacts" / "fuzz.json").write_text(
        json.dumps({"requests": sent, "statuses": statuses, "stored": created}) + "\n"
    )
