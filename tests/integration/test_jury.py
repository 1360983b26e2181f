"""Locks, visibility, reveal, batch and audit against a real JetStream, as the jury uses them."""

from __future__ import annotations

import logging

import httpx
import msgspec
import pytest

from services.intake.app import build
from shared.plumbing.settings import Settings
from tests.support.people import auth, demo, judge_for, token_of
from tests.support.services import serving

CHAMPIONSHIP = demo()
SKILL = CHAMPIONSHIP.skills[0]
COMPETITOR = CHAMPIONSHIP.index.competitors_of(SKILL.id)[0]
JUDGE = judge_for(CHAMPIONSHIP, COMPETITOR)
CHIEF = next(e for e in CHAMPIONSHIP.experts if e.role == "chief" and e.skill == SKILL.id)
OTHER_CHIEF = next(e for e in CHAMPIONSHIP.experts if e.role == "chief" and e.skill != SKILL.id)
ORGANIZER = next(e for e in CHAMPIONSHIP.experts if e.role == "organizer")
CRITERION = SKILL.criteria[0]
ASPECT = next(a for a in CRITERION.aspects if a.kind == "measurement")


def mark(mark_id: str, value: float | None = 1.0) -> dict[str, object]:
    return {"id": mark_id, "competitor": COMPETITOR.id, "aspect": ASPECT.id, "value": value}


async def test_a_locked_criterion_refuses_marks_until_unlocked_with_a_reason(
    intake: httpx.AsyncClient,
) -> None:
    locks = f"/api/skills/{SKILL.id}/locks"
    assert (
        await intake.post(locks, json={"criterion": CRITERION.id}, headers=auth(JUDGE))
    ).status_code == 403
    locked = await intake.post(locks, json={"criterion": CRITERION.id}, headers=auth(CHIEF))
    assert locked.status_code == 201 and locked.json()["locked"] == [CRITERION.id]
    again = await intake.post(locks, json={"criterion": CRITERION.id}, headers=auth(CHIEF))
    assert again.status_code == 409
    refused = await intake.post("/api/marks", json=mark("after-lock"), headers=auth(JUDGE))
    assert refused.status_code == 403 and refused.json()["title"] == "Locked"
    assert (
        await intake.post(locks, json={"criterion": "ZZ"}, headers=auth(CHIEF))
    ).status_code == 404

    unlock = f"{locks}/{CRITERION.id}"
    no_reason = await intake.request("DELETE", unlock, json={"reason": "  "}, headers=auth(CHIEF))
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["path"] == "reason"
    no_break = await intake.request(
        "DELETE", unlock, json={"reason": "\u00a0"}, headers=auth(CHIEF)
    )
    assert no_break.status_code == 422 and no_break.json()["code"] == "reason_required"
    missing = await intake.request("DELETE", unlock, json={}, headers=auth(CHIEF))
    assert missing.status_code == 422
    reason = "expert KZ re-measured the chassis after an appeal"
    unlocked = await intake.request("DELETE", unlock, json={"reason": reason}, headers=auth(CHIEF))
    assert unlocked.status_code == 201 and unlocked.json()["locked"] == []
    assert (
        await intake.post("/api/marks", json=mark("after-unlock"), headers=auth(JUDGE))
    ).status_code == 201

    trail = (await intake.get(f"/api/audit?skill={SKILL.id}", headers=auth(CHIEF))).json()
    kinds = [(c["type"], c["who"]) for c in trail["commands"]]
    assert kinds == [("lock", CHIEF.id), ("unlock", CHIEF.id), ("mark", JUDGE.id)]
    assert trail["commands"][1]["reason"] == reason
    assert all(c["time"] and c["seq"] for c in trail["commands"])


async def test_a_locked_sub_criterion_refuses_its_marks_and_no_others(
    intake: httpx.AsyncClient,
) -> None:
    """CIS signs off one sub-criterion's form at a time: the chief locks that one alone."""
    locks = f"/api/skills/{SKILL.id}/locks"
    first, second = CRITERION.sub_criteria[:2]
    aspect_of = {
        s.id: next(a for a in CRITERION.aspects if a.sub_criterion == s.id) for s in (first, second)
    }

    def mark_in(sub: str, mark_id: str) -> dict[str, object]:
        body = {"id": mark_id, "competitor": COMPETITOR.id, "aspect": aspect_of[sub].id}
        value = 1.0 if aspect_of[sub].kind == "measurement" else 1
        return {**body, "value": value}

    both = {"criterion": CRITERION.id, "sub_criterion": first.id}
    assert (await intake.post(locks, json=both, headers=auth(CHIEF))).status_code == 422
    assert (await intake.post(locks, json={}, headers=auth(CHIEF))).status_code == 422
    unknown = await intake.post(locks, json={"sub_criterion": "Z9"}, headers=auth(CHIEF))
    assert unknown.status_code == 404 and unknown.json()["errors"][0]["path"] == "sub_criterion"
    locked = await intake.post(locks, json={"sub_criterion": first.id}, headers=auth(CHIEF))
    assert locked.status_code == 201
    assert (locked.json()["locked"], locked.json()["locked_sub_criteria"]) == ([], [first.id])
    again = await intake.post(locks, json={"sub_criterion": first.id}, headers=auth(CHIEF))
    assert again.status_code == 409

    refused = await intake.post("/api/marks", json=mark_in(first.id, "in-1"), headers=auth(JUDGE))
    assert refused.status_code == 403 and refused.json()["title"] == "Locked"
    assert f"sub-criterion {first.id}" in refused.json()["detail"]
    other = await intake.post("/api/marks", json=mark_in(second.id, "in-2"), headers=auth(JUDGE))
    assert other.status_code == 201

    unlock = f"{locks}/{first.id}"
    no_reason = await intake.request("DELETE", unlock, json={"reason": ""}, headers=auth(CHIEF))
    assert no_reason.status_code == 422
    reason = "the form was signed before the second run"
    unlocked = await intake.request("DELETE", unlock, json={"reason": reason}, headers=auth(CHIEF))
    assert unlocked.status_code == 201 and unlocked.json()["locked_sub_criteria"] == []
    after = await intake.post("/api/marks", json=mark_in(first.id, "in-3"), headers=auth(JUDGE))
    assert after.status_code == 201
    missing = await intake.request(
        "DELETE", f"{locks}/Z9", json={"reason": "x"}, headers=auth(CHIEF)
    )
    assert missing.status_code == 404

    trail = (await intake.get(f"/api/audit?skill={SKILL.id}", headers=auth(CHIEF))).json()
    jury = [c for c in trail["commands"] if c["type"] in ("lock", "unlock")]
    assert [(c["type"], c["criterion"], c["sub_criterion"]) for c in jury] == [
        ("lock", CRITERION.id, first.id),
        ("unlock", CRITERION.id, first.id),
    ]
    assert jury[1]["reason"] == reason


async def test_a_new_intake_knows_the_locks_already_in_the_log(settings: Settings) -> None:
    async with serving(build(settings)) as url, httpx.AsyncClient(base_url=url) as client:
        locks = f"/api/skills/{SKILL.id}/locks"
        assert (
            await client.post(locks, json={"criterion": CRITERION.id}, headers=auth(CHIEF))
        ).status_code == 201
    async with serving(build(settings)) as url, httpx.AsyncClient(base_url=url) as client:
        refused = await client.post("/api/marks", json=mark("m"), headers=auth(JUDGE))
    assert refused.status_code == 403


async def test_visibility_and_the_reveal_row_by_row(intake: httpx.AsyncClient) -> None:
    visibility = f"/api/skills/{SKILL.id}/visibility"
    reveal = f"/api/skills/{SKILL.id}/reveal"
    assert (
        await intake.put(visibility, json={"mode": "frozen"}, headers=auth(JUDGE))
    ).status_code == 403
    assert (
        await intake.put(visibility, json={"mode": "secret"}, headers=auth(CHIEF))
    ).status_code == 422
    assert (await intake.post(reveal, headers=auth(ORGANIZER))).status_code == 409  # not frozen
    frozen = await intake.put(visibility, json={"mode": "frozen"}, headers=auth(ORGANIZER))
    assert frozen.status_code == 201 and frozen.json()["visibility"] == "frozen"
    rows = len(CHAMPIONSHIP.index.competitors_of(SKILL.id))
    for step in range(1, rows + 1):
        revealed = await intake.post(reveal, headers=auth(CHIEF if step % 2 else ORGANIZER))
        assert revealed.status_code == 201 and revealed.json()["revealed"] == step
    assert (await intake.post(reveal, headers=auth(CHIEF))).status_code == 409  # all shown
    # Nothing is signed yet: final waits for the forms (test_signoff.py signs them).
    final = await intake.put(visibility, json={"mode": "final"}, headers=auth(CHIEF))
    assert final.status_code == 409 and final.json()["code"] == "unsigned_forms"
    assert (
        await intake.put(visibility, json={"mode": "live"}, headers=auth(OTHER_CHIEF))
    ).status_code == 403


async def test_a_batch_judges_each_item_as_if_posted_alone(intake: httpx.AsyncClient) -> None:
    items = [
        mark("b-1", 1.0),
        mark("b-2", 999),
        {"id": "b-3", "competitor": "NOBODY", "aspect": ASPECT.id, "value": 1},
        {"id": "b-4", "competitor": COMPETITOR.id},
        mark("b-1", 1.0),
        mark("b-1", 2.0),
    ]
    response = await intake.post("/api/marks/batch", json={"marks": items}, headers=auth(JUDGE))
    assert response.status_code == 200
    results = response.json()["results"]
    assert [(r["id"], r["status"]) for r in results] == [
        ("b-1", 201),
        ("b-2", 422),
        ("b-3", 404),
        ("b-4", 422),
        ("b-1", 200),
        ("b-1", 409),
    ]
    assert results[0]["seq"] == results[4]["seq"]
    assert "between 0 and" in results[1]["detail"]


async def test_a_csv_batch_and_its_line_numbers(intake: httpx.AsyncClient) -> None:
    csv_headers = {**auth(JUDGE), "content-type": "text/csv"}
    lines = [f"c-1,{COMPETITOR.id},{ASPECT.id},1.5", f"c-2,{COMPETITOR.id},{ASPECT.id},"]
    good = "\n".join(["id,competitor,aspect,value", *lines]) + "\n"
    results = (await intake.post("/api/marks/batch", content=good, headers=csv_headers)).json()[
        "results"
    ]
    assert [r["status"] for r in results] == [201, 201]
    broken = f"id,competitor,aspect,value\nc-3,{COMPETITOR.id},{ASPECT.id},1\nc-4,{COMPETITOR.id}\n"
    refused = await intake.post("/api/marks/batch", content=broken, headers=csv_headers)
    assert refused.status_code == 422
    assert refused.json()["errors"] == [{"path": "line 3", "message": "expected 4 fields, got 2"}]
    carriage_return = f"id,competitor,aspect,value\n[],{COMPETITOR.id},{ASPECT.id},\rx\n"
    unreadable = await intake.post("/api/marks/batch", content=carriage_return, headers=csv_headers)
    assert unreadable.status_code == 422 and unreadable.json()["errors"][0]["path"] == "line 2"
    no_header = await intake.post("/api/marks/batch", content="c-5,a,b,1\n", headers=csv_headers)
    assert no_header.status_code == 422
    not_a_number = f"id,competitor,aspect,value\nc-6,{COMPETITOR.id},{ASPECT.id},lots\n"
    [item] = (
        await intake.post("/api/marks/batch", content=not_a_number, headers=csv_headers)
    ).json()["results"]
    assert item["status"] == 422 and "line 2" in item["detail"]
    xml = await intake.post(
        "/api/marks/batch",
        content="<marks/>",
        headers={**auth(JUDGE), "content-type": "application/xml"},
    )
    assert xml.status_code == 415
    too_many = {"marks": [mark(f"x-{n}") for n in range(1001)]}
    assert (
        await intake.post("/api/marks/batch", json=too_many, headers=auth(JUDGE))
    ).status_code == 422


async def test_the_audit_is_for_the_jury_and_pages(intake: httpx.AsyncClient) -> None:
    for n in range(5):
        assert (
            await intake.post("/api/marks", json=mark(f"a-{n}", n / 10), headers=auth(JUDGE))
        ).status_code == 201
    assert (
        await intake.get(f"/api/audit?skill={SKILL.id}", headers=auth(JUDGE))
    ).status_code == 403
    assert (
        await intake.get(f"/api/audit?skill={SKILL.id}", headers=auth(OTHER_CHIEF))
    ).status_code == 403
    assert (await intake.get("/api/audit", headers=auth(CHIEF))).status_code == 403
    assert (await intake.get("/api/audit?limit=0", headers=auth(ORGANIZER))).status_code == 422
    first = (await intake.get("/api/audit?limit=2", headers=auth(ORGANIZER))).json()
    assert [c["id"] for c in first["commands"]] == ["a-0", "a-1"]
    rest = (
        await intake.get(
            f"/api/audit?after={first['next_after']}&limit=10", headers=auth(ORGANIZER)
        )
    ).json()
    assert [c["id"] for c in rest["commands"]] == ["a-2", "a-3", "a-4"]
    assert rest["next_after"] is None
    assert rest["commands"][0]["name"] == JUDGE.name


async def test_a_token_never_reaches_the_logs(
    intake: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    token = token_of(JUDGE)
    caplog.set_level(logging.DEBUG)
    headers = {"Authorization": f"Bearer {token}"}
    await intake.post("/api/marks", json=mark("log-1"), headers=headers)
    await intake.post("/api/marks", json=mark("log-2", 999), headers=headers)
    await intake.post(
        "/api/marks", json=mark("log-3"), headers={"Authorization": f"Bearer {token}x"}
    )
    # Every line the service wrote, with every field; the test's own HTTP client is not the service.
    service = "\n".join(
        f"{record.getMessage()} {vars(record)}"
        for record in caplog.records
        if not record.name.startswith(("httpx", "httpcore"))
    )
    assert "log-1" in service
    assert token[:40] not in service


async def test_every_error_is_problem_json(intake: httpx.AsyncClient) -> None:
    for response in (
        await intake.get("/api/nothing-here"),
        await intake.get("/api/marks"),
        await intake.post(
            "/api/skills/knitting/locks", json={"criterion": "A"}, headers=auth(CHIEF)
        ),
    ):
        assert response.headers["content-type"] == "application/problem+json", response
        problem = response.json()
        assert problem["status"] == response.status_code and problem["detail"]


async def test_openapi_describes_every_endpoint(intake: httpx.AsyncClient) -> None:
    spec = (await intake.get("/openapi.json")).json()
    assert spec["openapi"].startswith("3.1")
    assert set(spec["paths"]) >= {
        "/api/marks",
        "/api/marks/batch",
        "/api/skills/{skill}/locks",
        "/api/skills/{skill}/locks/{criterion}",
        "/api/skills/{skill}/visibility",
        "/api/skills/{skill}/reveal",
        "/api/audit",
        "/api/skills/{skill}/forms",
        "/api/skills/{skill}/forms/{form}",
        "/api/skills/{skill}/forms/{form}/signoff",
        "/api/skills/{skill}/forms/{form}/reopen",
        "/api/skills/{skill}/forms/{form}/print",
    }
    marks = spec["paths"]["/api/marks"]["post"]["responses"]
    assert set(marks) == {"200", "201", "401", "403", "404", "409", "413", "422", "429", "503"}
    assert "MarkBody" in spec["components"]["schemas"]
    assert msgspec.json.decode(msgspec.json.encode(spec)) == spec
