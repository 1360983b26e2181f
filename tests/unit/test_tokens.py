"""Bearer tokens: signed, within their validity, not revoked, and only for people the
championship knows in that role. The verifier's clock is injected: no test sleeps."""

from __future__ import annotations

import re
import time
from pathlib import Path

import jwt
import msgspec
import pytest

from shared.events import SignInRevoked
from shared.plumbing.tokens import (
    Claims,
    Identity,
    RevokedError,
    TokenError,
    Verifier,
    issue,
    issue_for,
    secret_in,
    signed_claims,
)
from shared.revocations import Revocations, apply, covers, millis
from tests.support.people import SECRET, demo

CHAMPIONSHIP = demo()
EXPERT = next(e for e in CHAMPIONSHIP.experts if e.role == "expert")
WHO = Identity(EXPERT.id, "expert")
NOW = 1_760_000_000.0  # 2025-10-09T08:53:20Z


class Clock:
    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def revoked(person: str, at: str) -> SignInRevoked:
    return SignInRevoked("jury:1", EXPERT.skill or "", person, "tablet lost", "E-CHIEF", at)


def test_a_token_carries_who_role_issue_time_expiry_and_an_id_of_its_own() -> None:
    token = issue(WHO, SECRET, 60, now=NOW + 0.1234)
    raw = jwt.decode(token, options={"verify_signature": False})
    assert raw["sub"] == EXPERT.id and raw["role"] == "expert"
    assert raw["iat"] == NOW + 0.123 and raw["exp"] == int(NOW + 60.1234)
    assert len(raw["jti"]) >= 12 and "nbf" not in raw
    claims = Verifier(SECRET, clock=Clock()).verify(token)
    assert claims.identity == WHO and claims.issued_ms == round((NOW + 0.123) * 1000)
    assert (
        raw["jti"] != jwt.decode(issue(WHO, SECRET, 60), options={"verify_signature": False})["jti"]
    )
    expert, same = Verifier(SECRET, clock=Clock()).person(token, CHAMPIONSHIP)
    assert expert == EXPERT and same == claims


def test_a_card_for_a_later_day_works_only_within_its_window() -> None:
    token = issue_for(WHO, SECRET, until=NOW + 7200, since=NOW + 3600, now=NOW)
    clock = Clock()
    verifier = Verifier(SECRET, clock=clock)
    with pytest.raises(TokenError, match="not valid before"):
        verifier.verify(token)
    clock.now = NOW + 3600
    assert verifier.verify(token).nbf == NOW + 3600
    clock.now = NOW + 7200
    with pytest.raises(TokenError, match="expired"):
        verifier.verify(token)


def test_expired_tampered_foreign_and_claimless_tokens_are_refused() -> None:
    verifier = Verifier(SECRET, clock=Clock())
    with pytest.raises(TokenError, match="expired"):
        verifier.verify(issue(WHO, SECRET, 60, now=NOW - 120))
    header, payload, signature = issue(WHO, SECRET, 60, now=NOW).split(".")
    forged_payload = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB")
    for bad in (
        f"{header}.{forged_payload}.{signature}",
        issue(WHO, "x" * 40, 60, now=NOW),
        "not-a-token",
        # Tokens of before this release: no jti, whole-second iat.
        jwt.encode({"sub": EXPERT.id, "role": "expert", "exp": NOW + 60}, SECRET),
        jwt.encode(
            {"sub": EXPERT.id, "role": "king", "jti": "x", "iat": NOW, "exp": NOW + 60}, SECRET
        ),
    ):
        with pytest.raises(TokenError, match="invalid"):
            verifier.verify(bad)


def test_a_token_from_a_clock_far_ahead_is_refused() -> None:
    with pytest.raises(TokenError, match="future"):
        Verifier(SECRET, clock=Clock()).verify(issue(WHO, SECRET, 600, now=NOW + 120))


def test_a_remembered_token_is_refused_once_it_expires() -> None:
    clock = Clock()
    verifier = Verifier(SECRET, clock=clock)
    token = issue(WHO, SECRET, 2, now=NOW)
    assert verifier.verify(token).identity == WHO
    clock.now = NOW + 1.999
    assert verifier.verify(token).identity == WHO  # from the remembered ones
    clock.now = NOW + 2
    with pytest.raises(TokenError, match="expired"):
        verifier.verify(token)


def test_a_revocation_after_the_token_was_remembered_refuses_it_at_once() -> None:
    state = Revocations()
    clock = Clock()
    verifier = Verifier(SECRET, lambda person: state.revoked_at(person), clock)
    token = issue(WHO, SECRET, 3600, now=NOW)
    assert verifier.verify(token).identity == WHO
    assert verifier.verify(token).identity == WHO  # remembered now
    clock.now = NOW + 5
    state = apply(state, revoked(EXPERT.id, "2025-10-09T08:53:21.000Z"))
    with pytest.raises(RevokedError, match=re.escape("revoked at 2025-10-09T08:53:21.000Z")):
        verifier.verify(token)
    # A card made after the revocation works; other people are untouched.
    assert verifier.verify(issue(WHO, SECRET, 3600, now=NOW + 1.001)).identity == WHO
    other = Identity("E-OTHER", "expert")
    assert verifier.verify(issue(other, SECRET, 3600, now=NOW)).identity == other


def test_the_same_second_is_decided_by_the_millisecond() -> None:
    state = apply(Revocations(), revoked(EXPERT.id, "2025-10-09T08:53:20.500Z"))
    at = state.revoked_at(EXPERT.id)
    assert at == millis("2025-10-09T08:53:20.500Z") == round((NOW + 0.5) * 1000)
    verifier = Verifier(SECRET, state.revoked_at, Clock(NOW + 1))
    for issued in (NOW, NOW + 0.499, NOW + 0.5):
        with pytest.raises(RevokedError):
            verifier.verify(issue(WHO, SECRET, 60, now=issued))
    assert verifier.verify(issue(WHO, SECRET, 60, now=NOW + 0.501)).identity == WHO
    assert not covers(None, 0) and covers(at, at) and not covers(at, (at or 0) + 1)


def test_a_later_revocation_reaches_further_and_an_earlier_one_changes_nothing() -> None:
    first = apply(Revocations(), revoked(EXPERT.id, "2025-10-09T09:00:00.000Z"))
    later = apply(first, revoked(EXPERT.id, "2025-10-09T10:00:00.000Z"))
    assert later.revoked_at(EXPERT.id) == millis("2025-10-09T10:00:00.000Z")
    assert apply(later, revoked(EXPERT.id, "2025-10-09T09:00:00.000Z")) is later
    assert first.revoked_at(EXPERT.id) == millis("2025-10-09T09:00:00.000Z")  # unchanged


def test_the_signature_is_checked_once_and_its_claims_kept() -> None:
    calls = []
    verifier = Verifier(SECRET, clock=Clock(), capacity=2)
    tokens = [issue(WHO, SECRET, 60, now=NOW) for _ in range(3)]
    with pytest.MonkeyPatch.context() as patch:

        def counted(token: str, secret: str) -> Claims:
            calls.append(token)
            return signed_claims(token, secret)

        patch.setattr("shared.plumbing.tokens.signed_claims", counted)
        for token in [tokens[0], tokens[0], tokens[1], tokens[0], tokens[2], tokens[2]]:
            verifier.verify(token)
    # The third distinct token found the store full, emptied it, and was kept alone.
    assert calls == [tokens[0], tokens[1], tokens[2]]


def test_unknown_people_and_changed_roles_are_refused() -> None:
    verifier = Verifier(SECRET, clock=Clock())
    with pytest.raises(TokenError, match="unknown person"):
        verifier.person(issue(Identity("E-NOBODY", "expert"), SECRET, 60, now=NOW), CHAMPIONSHIP)
    with pytest.raises(TokenError, match="role"):
        verifier.person(issue(Identity(EXPERT.id, "organizer"), SECRET, 60, now=NOW), CHAMPIONSHIP)
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert({"expert": "x", "role": "king"}, Identity)


def test_the_secret_is_made_once_and_kept_private(tmp_path: Path) -> None:
    first = secret_in(tmp_path / "data")
    assert len(first) >= 32
    assert secret_in(tmp_path / "data") == first
    assert (tmp_path / "data" / "secret").stat().st_mode & 0o077 == 0


def test_real_time_is_the_default_clock() -> None:
    assert Verifier(SECRET).verify(issue(WHO, SECRET, 60)).identity == WHO
    with pytest.raises(TokenError, match="expired"):
        Verifier(SECRET).verify(issue(WHO, SECRET, 60, now=time.time() - 61))
