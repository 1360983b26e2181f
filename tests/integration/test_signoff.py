"""Signing marking forms on two intakes with ranking, on real NATS and Redis: every refusal
code, a signed form closed on both intakes, final refused then accepted, the race between a
mark and the last signature settled by the log, and every state kept by restart and replay."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable
from pathlib import Path
from typing import Any

import httpx
import redis.asyncio as aioredis

from shared.events import MarkRecorded
from shared.plumbing.clock import iso_now
from shared.plumbing.settings import Settings
from shared.signoff.commands import FormSigned
from tests.integration.test_backup import fresh, podium  # noqa: F401 (`fresh`: a fixture)
from tests.support.eventually import eventually
from tests.support.log import append
from tests.support.signing import (
    COMPETITORS,
    EXPERTS,
    SKILL,
    Jury,
    intakes,
    ranking,
    settings_for,
    standings,
    written,
)

log = logging.getLogger("tests")


async def mark_a1(jury: Jury, tag: str = "") -> None:
    """Every mark of form A1: E1 measures, the three experts judge, alternately on each intake."""
    for n, competitor in enumerate(COMPETITORS):
        on = jury.a if n % 2 else jury.b
        answer = await jury.mark(on, "E1", f"m{tag}{competitor}", competitor, "M1", 5.0 + n)
        assert answer.status_code == 201, answer.text
        for expert in EXPERTS:
            answer = await jury.mark(on, expert, f"j{tag}{competitor}{expert}", competitor, "J1", 2)
            assert answer.status_code == 201, answer.text


async def state_on_both(jury: Jury, form: str, state: str | None) -> dict[str, Any]:
    """The form once both intakes show it alike (and in `state`, if given)."""

    async def agreed() -> dict[str, Any]:
        one, two = await jury.form(jury.a, form), await jury.form(jury.b, form)
        return one if state in (None, one["state"]) and one == two else {}

    found: dict[str, Any] = await eventually(agreed, what=f"{form} {state} on both intakes")
    return found


async def signed_count(settings: Settings, signed: int) -> None:
    async def counted() -> object:
        board = await standings(settings)
        if board is None:
            return False
        return (board.forms.signed, board.forms.total) == (signed, 2) or board.forms

    await eventually(counted, what=f"standings with {signed} of 2 forms signed")


async def sign_all(jury: Jury, form: str, signers: tuple[str, ...], state: str = "signed") -> float:
    """Each signer signs on alternate intakes; the seconds from the last signature's answer to
    the other intake's chief seeing the form signed."""
    digest = (await state_on_both(jury, form, None))["digest"]
    for n, signer in enumerate(signers):
        answer = await jury.sign(jury.a if n % 2 else jury.b, form, signer, digest)
        assert answer.status_code == 201 and answer.json()["counted"], answer.text
    last = time.perf_counter()
    await state_on_both(jury, form, state)
    return time.perf_counter() - last


async def test_forms_are_signed_closed_reopened_and_made_final(
    settings: Settings, tmp_path: Path
) -> None:
    path, championship = written(tmp_path)
    settings = settings_for(settings, path)
    async with ranking(settings), intakes(settings, championship) as jury:
        await refusals_before_signing(jury)
        await mark_a1(jury)
        digest = (await state_on_both(jury, "A1", "open"))["digest"]
        stale = await jury.sign(jury.a, "A1", "E1", "0" * 64)
        assert (stale.status_code, stale.json()["code"]) == (409, "stale_form")
        chief = await jury.sign(jury.a, "A1", "CH", digest)
        assert (chief.status_code, chief.json()["code"]) == (403, "not_a_signer")
        first = await jury.sign(jury.a, "A1", "E1", digest)
        assert first.status_code == 201 and first.json()["state"] == "signing"
        again = await jury.sign(jury.b, "A1", "E1", digest)
        assert again.status_code == 200 and again.json()["duplicate"] is True
        await not_signed_yet(jury)
        seconds = await sign_all(jury, "A1", ("E2", "E3"))
        log.info("last signature to the chief's API showing signed: %.3f s", seconds)
        began = time.perf_counter()
        await signed_count(settings, 1)
        log.info("... and to the standings: %.3f s more", time.perf_counter() - began)
        await closed_on_both(jury, settings)
        await reopened_corrected_and_signed_again(jury, settings)
        await audited(jury)


async def refusals_before_signing(jury: Jury) -> None:
    outsider = await jury.b.get(f"/api/skills/{SKILL}/forms", headers=jury.person("OR"))
    assert outsider.status_code == 200 and [f["form"] for f in outsider.json()] == ["A1", "B"]
    unknown = await jury.a.get(f"/api/skills/{SKILL}/forms/ZZ", headers=jury.person("E1"))
    assert (unknown.status_code, unknown.json()["code"]) == (404, "unknown_form")
    assert (await jury.a.get(f"/api/skills/{SKILL}/forms")).status_code == 401
    answer = await jury.mark(jury.a, "E1", "b-C1", "C1", "B1", 40.0)
    assert answer.status_code == 201
    detail = await jury.form(jury.a, "B", "E1")
    incomplete = await jury.sign(jury.a, "B", "E1", detail["digest"])
    assert (incomplete.status_code, incomplete.json()["code"]) == (409, "incomplete_form")
    assert "C2 B1" in incomplete.json()["detail"]


async def not_signed_yet(jury: Jury) -> None:
    path = f"/api/skills/{SKILL}/forms/A1/reopen"
    reopen = await jury.a.post(path, json={"reason": "check"}, headers=jury.person("CH"))
    assert (reopen.status_code, reopen.json()["code"]) == (409, "not_signed")
    expert = await jury.a.post(path, json={"reason": "check"}, headers=jury.person("E1"))
    assert expert.status_code == 403


async def closed_on_both(jury: Jury, settings: Settings) -> None:
    for on in (jury.a, jury.b):
        refused = await jury.mark(on, "E2", f"late-{id(on)}", "C1", "J1", 3)
        assert (refused.status_code, refused.json()["code"]) == (403, "signed"), refused.text
    visibility = f"/api/skills/{SKILL}/visibility"
    final = await jury.b.put(visibility, json={"mode": "final"}, headers=jury.person("CH"))
    assert (final.status_code, final.json()["code"]) == (409, "unsigned_forms")
    assert "not signed: B" in final.json()["detail"]
    for n, competitor in enumerate(COMPETITORS[1:]):
        answer = await jury.mark(jury.b, "E1", f"b-{competitor}", competitor, "B1", 50.0 + n)
        assert answer.status_code == 201
    await sign_all(jury, "B", ("E1",))
    await signed_count(settings, 2)
    made = await jury.a.put(visibility, json={"mode": "final"}, headers=jury.person("OR"))
    assert made.status_code == 201 and made.json()["visibility"] == "final"

    async def official() -> bool:
        board = await standings(settings)
        return board is not None and not board.provisional

    await eventually(official, what="official standings")


async def reopened_corrected_and_signed_again(jury: Jury, settings: Settings) -> None:
    path = f"/api/skills/{SKILL}/forms/A1/reopen"
    blank = await jury.b.post(path, json={"reason": " "}, headers=jury.person("CH"))
    assert blank.status_code == 422
    reason = "C2's drawing was measured against the wrong sheet"
    reopened = await jury.b.post(path, json={"reason": reason}, headers=jury.person("CH"))
    assert reopened.status_code == 201 and reopened.json()["state"] == "open"
    form = await state_on_both(jury, "A1", "open")
    assert {v["voided_by"] for v in form["void"]} == {"reopen"} and len(form["void"]) == 3
    assert form["reopened"]["reason"] == reason
    await signed_count(settings, 1)
    corrected = await jury.mark(jury.a, "E2", "m-fix-C2", "C2", "M1", 4.5)
    assert corrected.status_code == 201
    form = await state_on_both(jury, "A1", "open")
    assert [s["person"] for s in form["signers"]] == ["E1", "E2", "E3"]
    await sign_all(jury, "A1", EXPERTS)
    await signed_count(settings, 2)


async def audited(jury: Jury) -> None:
    trail = (await jury.a.get(f"/api/audit?skill={SKILL}", headers=jury.person("CH"))).json()
    kinds = [c["type"] for c in trail["commands"]]
    assert kinds.count("signoff") == 7 and kinds.count("reopen") == 1
    signoff = next(c for c in trail["commands"] if c["type"] == "signoff")
    assert len(signoff["digest"]) == 64 and signoff["form"] in ("A1", "B")


async def test_restart_and_replay_keep_every_state(settings: Settings, tmp_path: Path) -> None:
    path, championship = written(tmp_path)
    settings = settings_for(settings, path)
    async with ranking(settings), intakes(settings, championship) as jury:
        await mark_a1(jury)
        await sign_all(jury, "A1", ("E1", "E2"), "signing")
        await signed_count(settings, 0)
        before = [await jury.form(jury.a, form) for form in ("A1", "B")]
        assert before[0]["state"] == "signing"
    redis = aioredis.from_url(settings.redis_url)
    await redis.flushall()  # ranking must replay the log from scratch
    await redis.aclose()
    async with ranking(settings), intakes(settings, championship) as jury:
        after = [await jury.form(jury.b, form) for form in ("A1", "B")]
        assert after == before
        await sign_all(jury, "A1", ("E3",))
        await signed_count(settings, 1)
    async with ranking(settings), intakes(settings, championship) as jury:
        assert (await jury.form(jury.a, "A1"))["state"] == "signed"
        await signed_count(settings, 1)


async def test_the_race_a_mark_landing_after_the_last_signature_voids_them_all(
    settings: Settings, tmp_path: Path
) -> None:
    """Provoked on purpose: the last sign-off and then a mark are stored as an intake that had
    not yet seen the sign-off would store them. The mark stands, as its 201 promised; every
    signature is void, the same on both intakes and in the standings."""
    path, championship = written(tmp_path)
    settings = settings_for(settings, path)
    async with ranking(settings), intakes(settings, championship) as jury:
        await mark_a1(jury)
        form = await state_on_both(jury, "A1", "open")
        for signer in ("E1", "E2"):
            assert (await jury.sign(jury.a, "A1", signer, form["digest"])).status_code == 201
        last = FormSigned("race-sign", SKILL, "A1", form["digest"], "E3", iso_now())
        late = MarkRecorded("race-mark", SKILL, "C3", "M1", "E2", 9.0, iso_now())
        await append(settings.nats_url, last, late)
        form = await state_on_both(jury, "A1", "open")
        assert {v["voided_by"] for v in form["void"]} == {"change"} and len(form["void"]) == 3
        assert {"competitor": "C3", "aspect": "M1", "expert": "E2", "value": 9.0} in form["marks"]
        await signed_count(settings, 0)
        await concurrent_rounds(jury, settings)


async def concurrent_rounds(jury: Jury, settings: Settings) -> None:
    """The last signature on one intake and a mark on the other at the same moment, round
    after round: whichever the log took first, a mark answered 201 never sits under a signed
    form, and both intakes and ranking agree."""
    seen = set()
    for round_ in range(8):
        form = await state_on_both(jury, "A1", "open")
        digest = form["digest"]
        for signer in ("E1", "E3"):
            answer = await jury.sign(jury.b, "A1", signer, digest)
            assert answer.status_code == 201, answer.text
        signing, marking = await asyncio.gather(
            jury.sign(jury.a, "A1", "E2", digest),
            staggered(
                0.004 * round_, jury.mark(jury.b, "E2", f"race-{round_}", "C1", "M1", round_)
            ),
        )
        # Intake a may have folded the mark already: then the digest it is asked to sign is
        # stale; or the sign-off is stored but lands after the mark, and does not count.
        assert signing.status_code in (201, 409), signing.text
        assert marking.status_code in (201, 403), marking.text
        state = "open" if marking.status_code == 201 else "signed"
        await state_on_both(jury, "A1", state)
        await signed_count(settings, 1 if state == "signed" else 0)
        if state == "signed":
            reason = {"reason": "next round"}
            path = f"/api/skills/{SKILL}/forms/A1/reopen"
            assert (await jury.a.post(path, json=reason, headers=jury.person("CH"))).is_success
        log.info("round %d: %s", round_, state)
        seen.add(state)
    log.info("states seen: %s", sorted(seen))


async def staggered(seconds: float, request: Awaitable[httpx.Response]) -> httpx.Response:
    """The mark a little after the sign-off, more each round, so both orders come about
    (not a synchronisation: either order is checked)."""
    await asyncio.sleep(seconds)
    return await request


async def test_forms_are_the_skills_people_only(settings: Settings, tmp_path: Path) -> None:
    path, championship = written(tmp_path)
    settings = settings_for(settings, path)
    async with intakes(settings, championship) as jury:
        token = {"Authorization": "Bearer nonsense"}
        assert (await jury.a.get(f"/api/skills/{SKILL}/forms", headers=token)).status_code == 401
        printed = await jury.a.get(f"/api/skills/{SKILL}/forms/A1/print", headers=jury.person("E3"))
        assert printed.status_code == 200 and "text/html" in printed.headers["content-type"]
        assert "Marking form A1" in printed.text and "/intake-pages/print.css" in printed.text
        signoff = f"/api/skills/{SKILL}/forms/A1/signoff"
        bad = await jury.b.post(signoff, json={"digest": "x"}, headers=jury.person("E1"))
        assert bad.status_code == 422
        for other in ("K1", "KCH"):
            forms = await jury.a.get(f"/api/skills/{SKILL}/forms", headers=jury.person(other))
            assert forms.status_code == 403
        chief = await jury.a.post(
            f"/api/skills/{SKILL}/forms/A1/reopen", json={"reason": "x"}, headers=jury.person("KCH")
        )
        assert chief.status_code == 403


async def test_backup_and_restore_carry_every_signature_and_reopening(
    settings: Settings,
    tmp_path: Path,
    fresh: Settings,  # noqa: F811 (test_backup's fixture: a second, empty pair of servers)
) -> None:
    """`podium backup` copies the sign-offs and reopenings with the marks; intake and ranking
    on the restored log show every form as before."""
    path, championship = written(tmp_path)
    settings = settings_for(settings, path)
    async with ranking(settings), intakes(settings, championship) as jury:
        await mark_a1(jury)
        await sign_all(jury, "A1", EXPERTS)
        path_reopen = f"/api/skills/{SKILL}/forms/A1/reopen"
        reason = {"reason": "a second look"}
        assert (await jury.a.post(path_reopen, json=reason, headers=jury.person("OR"))).is_success
        await sign_all(jury, "A1", ("E1",), "signing")
        before = [await jury.form(jury.a, form) for form in ("A1", "B")]
    assert podium(settings, "backup", str(tmp_path / "backup")).returncode == 0
    assert podium(fresh, "restore", str(tmp_path / "backup")).returncode == 0
    restored = settings_for(fresh, path)
    async with ranking(restored), intakes(restored, championship) as jury:
        assert [await jury.form(jury.b, form) for form in ("A1", "B")] == before
        await sign_all(jury, "A1", ("E2", "E3"))
        await signed_count(restored, 1)


async def test_a_status_change_changes_missing_never_the_signatures(
    settings: Settings, tmp_path: Path
) -> None:
    path, championship = written(tmp_path)
    settings = settings_for(settings, path)
    async with intakes(settings, championship) as jury:
        assert (await jury.mark(jury.a, "E1", "b-C1", "C1", "B1", 60.0)).status_code == 201

        async def status(competitor: str, to: str) -> None:
            body = {"status": to, "reason": "the jury's decision"}
            answer = await jury.b.put(
                f"/api/competitors/{competitor}/status", json=body, headers=jury.person("CH")
            )
            assert answer.status_code == 201, answer.text

        form = await state_on_both(jury, "B", "open")
        assert [m["competitor"] for m in form["missing"]] == ["C2", "C3"]
        for competitor in ("C2", "C3"):
            await status(competitor, "absent")

        async def nothing_missing() -> dict[str, Any]:
            shown = await state_on_both(jury, "B", "open")
            return shown if not shown["missing"] else {}

        await eventually(nothing_missing, what="B complete without the absent competitors")
        await sign_all(jury, "B", ("E1",))
        await status("C3", "competing")

        async def expected_again() -> dict[str, Any]:
            shown = await state_on_both(jury, "B", "signed")
            return shown if shown["missing"] else {}

        form = await eventually(expected_again, what="C3's mark missing again, B still signed")
        assert form["missing"] == [{"competitor": "C3", "aspect": "B1"}]
        assert form["signers"][0]["signed_at"] is not None
