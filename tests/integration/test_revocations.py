"""Revoked sign-ins and sessions on two intakes sharing one NATS and one Redis: a revocation
stored by one is refused by the other within a second, after restarts, and after a backup
is restored; sessions are seen alike from both."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import httpx
import jwt
import pytest
import redis.asyncio as aioredis

from services.intake.app import build
from services.ranking import app as ranking
from services.tools.cli import main
from shared.championship import Expert
from shared.events import Command, SignInRevoked
from shared.plumbing import keys
from shared.plumbing.clock import iso_now
from shared.plumbing.settings import Settings
from tests.integration import test_backup
from tests.integration.test_ranking import wait_for_version
from tests.support.log import append
from tests.support.log import mark as logged_mark
from tests.support.people import demo, judge_for, token_of
from tests.support.services import serving

CHAMPIONSHIP = demo()
SKILL = CHAMPIONSHIP.skills[0]
COMPETITOR = CHAMPIONSHIP.index.competitors_of(SKILL.id)[0]
EXPERT = judge_for(CHAMPIONSHIP, COMPETITOR)
CHIEF = next(e for e in CHAMPIONSHIP.experts if e.role == "chief" and e.skill == SKILL.id)
OTHER_CHIEF = next(e for e in CHAMPIONSHIP.experts if e.role == "chief" and e.skill != SKILL.id)
ORGANIZERS = [e for e in CHAMPIONSHIP.experts if e.role == "organizer"]
ASPECT = next(a for _, a in SKILL.aspects if a.kind == "measurement")
DEADLINE_S = 10.0

fresh = test_backup.fresh  # a second pair of servers with nothing in them


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def auth(person: Expert) -> dict[str, str]:
    return bearer(token_of(person))


@contextlib.asynccontextmanager
async def intakes(settings: Settings, n: int = 2) -> AsyncIterator[list[httpx.AsyncClient]]:
    """`n` intake processes' worth of apps on the same NATS and Redis, each on its own port."""
    async with contextlib.AsyncExitStack() as stack:
        clients = []
        for _ in range(n):
            url = await stack.enter_async_context(serving(build(settings)))
            clients.append(await stack.enter_async_context(httpx.AsyncClient(base_url=url)))
        yield clients


async def revoke(intake: httpx.AsyncClient, by: Expert, person: str, reason: str) -> httpx.Response:
    return await intake.post(
        "/api/revocations", json={"person": person, "reason": reason}, headers=auth(by)
    )


def mark(mark_id: str, value: float = 1.0) -> dict[str, object]:
    return {"id": mark_id, "competitor": COMPETITOR.id, "aspect": ASPECT.id, "value": value}


async def polled(condition: Callable[[], Awaitable[bool]]) -> float:
    """Seconds until `condition` holds, asked every 5 ms up to a generous deadline."""
    began = time.perf_counter()
    while not await condition():
        assert time.perf_counter() - began < DEADLINE_S, "not within the deadline"
        await asyncio.sleep(0.005)
    return time.perf_counter() - began


async def test_a_revocation_on_one_intake_is_refused_by_the_other_within_a_second(
    settings: Settings, record_property: Callable[[str, object], None]
) -> None:
    old = token_of(EXPERT)
    async with intakes(settings) as (first, second):
        for intake in (first, second):  # both have checked, and remembered, the token
            assert (await intake.get("/api/me", headers=bearer(old))).status_code == 200
        stored = await first.post("/api/marks", json=mark("before"), headers=bearer(old))
        assert stored.status_code == 201

        answer = await revoke(first, CHIEF, EXPERT.id, "tablet lost in hall B")
        revoked_after = time.perf_counter()
        assert answer.status_code == 201, answer.text
        body = answer.json()
        assert body["person"] == EXPERT.id and body["seq"] > stored.json()["seq"]
        assert body["revoked_at"].endswith("Z") and body["id"]

        async def refused() -> bool:
            return (await second.get("/api/me", headers=bearer(old))).status_code == 401

        await polled(refused)
        delay = time.perf_counter() - revoked_after
        record_property("revocation_delay_s", round(delay, 4))
        print(f"revocation refused by the other intake {delay * 1000:.1f} ms after the 201")
        assert delay < DEADLINE_S

        for intake in (first, second):
            refusal = await intake.post("/api/marks", json=mark("after"), headers=bearer(old))
            assert refusal.status_code == 401
            assert refusal.headers["content-type"] == "application/problem+json"
            assert refusal.json()["title"] == "Sign-in revoked"
            assert "revoked" in refusal.json()["detail"] and EXPERT.id in refusal.json()["detail"]
        new = token_of(EXPERT)  # a new card, made after the revocation
        for intake in (first, second):
            assert (await intake.get("/api/me", headers=bearer(new))).status_code == 200
        again = await second.post("/api/marks", json=mark("after"), headers=bearer(new))
        assert again.status_code == 201

    async with intakes(settings) as restarted:
        for intake in restarted:
            assert (await intake.get("/api/me", headers=bearer(old))).status_code == 401
            assert (await intake.get("/api/me", headers=bearer(new))).status_code == 200

        audit = await restarted[1].get(f"/api/audit?skill={SKILL.id}", headers=auth(CHIEF))
        revocations = [c for c in audit.json()["commands"] if c["type"] == "revocation"]
        assert [(c["person"], c["who"], c["reason"]) for c in revocations] == [
            (EXPERT.id, CHIEF.id, "tablet lost in hall B")
        ]
        assert revocations[0]["time"] and revocations[0]["at"] == body["revoked_at"]


async def test_who_may_revoke_and_what_is_refused(settings: Settings) -> None:
    async with intakes(settings, 1) as (intake,):
        unknown = await revoke(intake, CHIEF, "E-NOBODY", "no such person")
        assert unknown.status_code == 404 and "E-NOBODY" in unknown.json()["detail"]
        assert (await revoke(intake, EXPERT, CHIEF.id, "coup")).status_code == 403
        other = await revoke(intake, OTHER_CHIEF, EXPERT.id, "not mine")
        assert other.status_code == 403 and SKILL.id in other.json()["detail"]
        assert (await revoke(intake, CHIEF, ORGANIZERS[0].id, "no")).status_code == 403
        blank = await revoke(intake, CHIEF, EXPERT.id, "   ")
        assert blank.status_code == 422 and blank.json()["errors"][0]["path"] == "reason"
        extra = await intake.post(
            "/api/revocations",
            json={"person": EXPERT.id, "reason": "x", "when": "now"},
            headers=auth(CHIEF),
        )
        assert extra.status_code == 422
        anonymous = await intake.post("/api/revocations", json={"person": EXPERT.id, "reason": "x"})
        assert anonymous.status_code == 401

        # An organizer's own sign-in, revoked by another organizer: in the whole audit.
        first, second = ORGANIZERS[:2]
        old = token_of(first)
        assert (await revoke(intake, second, first.id, "laptop stolen")).status_code == 201
        assert (await intake.get("/api/me", headers=bearer(old))).status_code == 401
        audit = (await intake.get("/api/audit", headers=auth(second))).json()["commands"]
        assert [(c["type"], c["person"], c["skill"]) for c in audit] == [
            ("revocation", first.id, "")
        ]
        # A chief may revoke their own sign-in too.
        own = token_of(CHIEF)
        assert (await revoke(intake, CHIEF, CHIEF.id, "handing over")).status_code == 201
        assert (await intake.get("/api/me", headers=bearer(own))).status_code == 401


async def test_podium_revoke_does_it_from_the_command_line(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = token_of(EXPERT)
    common = ["--reason", "replaced at noon", "--data-dir", str(tmp_path)]
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PODIUM_SECRET", settings.secret)
        async with intakes(settings, 1) as (intake,):
            url = ["--intake", str(intake.base_url)]
            assert await asyncio.to_thread(main, ["revoke", "E-NOBODY", *url, *common]) == 2
            assert "404" in capsys.readouterr().err
            refused = ["revoke", CHIEF.id, "--as", OTHER_CHIEF.id, *url, *common]
            assert await asyncio.to_thread(main, refused) == 2
            assert "403" in capsys.readouterr().err
            assert await asyncio.to_thread(main, ["revoke", EXPERT.id, *url, *common]) == 0
            assert f"sign-in of {EXPERT.id} is revoked" in capsys.readouterr().out
            assert (await intake.get("/api/me", headers=bearer(old))).status_code == 401
            audit = await intake.get(f"/api/audit?skill={SKILL.id}", headers=auth(CHIEF))
            [revocation] = audit.json()["commands"]
            assert (revocation["who"], revocation["reason"]) == (
                ORGANIZERS[0].id,
                "replaced at noon",
            )


async def test_sessions_list_each_token_seen_by_any_intake(settings: Settings) -> None:
    tablet, laptop = token_of(EXPERT), token_of(EXPERT)
    async with intakes(settings) as (first, second):
        seen = {"User-Agent": "tablet-7 Chrome"}
        assert (
            await first.post("/api/marks", json=mark("s-1"), headers=bearer(tablet) | seen)
        ).status_code == 201
        assert (await second.get("/api/me", headers=bearer(tablet) | seen)).status_code == 200
        assert (await second.get("/api/me", headers=bearer(laptop))).status_code == 200
        assert (await revoke(second, CHIEF, EXPERT.id, "tablet swapped")).status_code == 201
        fresh_token = token_of(EXPERT)
        assert (await second.get("/api/me", headers=bearer(fresh_token))).status_code == 200

        async def all_three() -> bool:
            found = await first.get(f"/api/sessions?skill={SKILL.id}", headers=auth(CHIEF))
            assert found.status_code == 200 and found.headers["cache-control"] == "no-store"
            return len([s for s in found.json()["sessions"] if s["person"] == EXPERT.id]) == 3

        await polled(all_three)
        listed = await first.get(f"/api/sessions?skill={SKILL.id}", headers=auth(CHIEF))
        rows = {s["jti"]: s for s in listed.json()["sessions"] if s["person"] == EXPERT.id}
        jtis = [token_jti(t) for t in (tablet, laptop, fresh_token)]
        assert set(rows) == set(jtis)
        row = rows[jtis[0]]
        assert row["last_mark"] == "s-1" and row["user_agent"] == "tablet-7 Chrome"
        assert row["first_seen"] <= row["last_seen"] and row["issued"] <= row["first_seen"]
        assert row["name"] == EXPERT.name and row["member"] == EXPERT.member
        assert row["skill"] == SKILL.id and row["role"] == "expert"
        assert [rows[j]["revoked"] for j in jtis] == [True, True, False]
        assert rows[jtis[1]]["last_mark"] is None

        assert (
            await first.get(f"/api/sessions?skill={SKILL.id}", headers=bearer(fresh_token))
        ).status_code == 403
        assert (
            await first.get(f"/api/sessions?skill={SKILL.id}", headers=auth(OTHER_CHIEF))
        ).status_code == 403
        mine_only = await first.get("/api/sessions", headers=auth(CHIEF))
        assert mine_only.status_code == 403 and SKILL.id in mine_only.json()["detail"]
        assert (
            await first.get("/api/sessions?skill=no-such-skill", headers=auth(ORGANIZERS[0]))
        ).status_code == 404

        async def every_skill() -> bool:
            # What the other replica saw arrives with its next write, within a second.
            found = await second.get("/api/sessions", headers=auth(ORGANIZERS[0]))
            people = {s["person"] for s in found.json()["sessions"]}
            return {EXPERT.id, CHIEF.id, OTHER_CHIEF.id, ORGANIZERS[0].id} <= people

        await polled(every_skill)


async def test_a_restored_backup_keeps_the_revocation(
    settings: Settings, fresh: Settings, tmp_path: Path
) -> None:
    old = token_of(EXPERT)
    async with intakes(settings, 1) as (intake,):
        assert (await revoke(intake, CHIEF, EXPERT.id, "card photographed")).status_code == 201
    backup = test_backup.podium(settings, "backup", str(tmp_path / "backup"))
    assert backup.returncode == 0, backup.stderr
    restore = test_backup.podium(fresh, "restore", str(tmp_path / "backup"))
    assert restore.returncode == 0, restore.stderr
    async with intakes(fresh, 1) as (restored,):
        refused = await restored.get("/api/me", headers=bearer(old))
        assert refused.status_code == 401 and refused.json()["title"] == "Sign-in revoked"
        assert (await restored.get("/api/me", headers=auth(EXPERT))).status_code == 200
        audit = await restored.get(f"/api/audit?skill={SKILL.id}", headers=auth(CHIEF))
        assert [c["reason"] for c in audit.json()["commands"]] == ["card photographed"]


async def test_ranking_restarted_after_revocations_keeps_its_state(settings: Settings) -> None:
    """Revocations change no standings, yet ranking records their place in the log: a restart
    right after one must not take Redis for an older copy and rebuild every skill."""
    other = CHAMPIONSHIP.skills[1].id
    commands: list[Command] = [
        logged_mark("r-1", COMPETITOR.id, ASPECT.id, EXPERT.id, 1.0, SKILL.id),
        SignInRevoked("jury:r1", SKILL.id, EXPERT.id, "lost", CHIEF.id, iso_now()),
        SignInRevoked("jury:r2", "", ORGANIZERS[0].id, "stolen", ORGANIZERS[1].id, iso_now()),
    ]
    client = aioredis.from_url(settings.redis_url)

    async def applied(skill: str) -> int:
        return int(await client.get(keys.applied(skill)) or 0)

    try:
        async with serving(ranking.build(settings)):
            seqs = await append(settings.nats_url, *commands)
            before = await wait_for_version(settings, seqs[0])

            async def recorded() -> bool:
                return await applied(SKILL.id) == await applied(other) == seqs[-1]

            await polled(recorded)
        async with serving(ranking.build(settings)):
            more = await append(
                settings.nats_url,
                logged_mark("r-2", COMPETITOR.id, ASPECT.id, EXPERT.id, 2.0, SKILL.id),
            )
            after = await wait_for_version(settings, more[-1])
    finally:
        await client.aclose()
    assert after.epoch == before.epoch


def token_jti(token: str) -> str:
    jti: str = jwt.decode(token, options={"verify_signature": False})["jti"]
    return jti
