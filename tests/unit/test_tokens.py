"""Bearer tokens: signed, expiring, and only for people the championship knows in that role."""

from __future__ import annotations

import time
from pathlib import Path

import msgspec
import pytest

from shared.tokens import Identity, TokenError, issue, person, secret_in, verify
from tests.support.people import SECRET, demo

CHAMPIONSHIP = demo()
EXPERT = next(e for e in CHAMPIONSHIP.experts if e.role == "expert")


def test_a_token_carries_id_and_role() -> None:
    token = issue(Identity(EXPERT.id, "expert"), SECRET, 60)
    assert verify(token, SECRET) == Identity(EXPERT.id, "expert")
    assert person(token, SECRET, CHAMPIONSHIP) == EXPERT


def test_expired_tampered_and_foreign_tokens_are_refused() -> None:
    expired = issue(Identity(EXPERT.id, "expert"), SECRET, 60, now=time.time() - 120)
    with pytest.raises(TokenError, match="expired"):
        verify(expired, SECRET)
    header, payload, signature = issue(Identity(EXPERT.id, "expert"), SECRET, 60).split(".")
    forged_payload = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB")
    with pytest.raises(TokenError, match="invalid"):
        verify(f"{header}.{forged_payload}.{signature}", SECRET)
    with pytest.raises(TokenError, match="invalid"):
        verify(issue(Identity(EXPERT.id, "expert"), "x" * 40, 60), SECRET)
    with pytest.raises(TokenError, match="invalid"):
        verify("not-a-token", SECRET)


def test_a_verified_token_is_refused_once_it_expires() -> None:
    # Valid for at least a second more (expiry is in whole seconds), gone after 2.1.
    token = issue(Identity(EXPERT.id, "expert"), SECRET, 2)
    assert verify(token, SECRET) == Identity(EXPERT.id, "expert")
    assert verify(token, SECRET) == Identity(EXPERT.id, "expert")  # from the verified ones
    time.sleep(2.1)
    with pytest.raises(TokenError, match="expired"):
        verify(token, SECRET)


def test_a_token_verified_under_one_secret_is_not_taken_under_another() -> None:
    token = issue(Identity(EXPERT.id, "expert"), SECRET, 60)
    assert verify(token, SECRET) == Identity(EXPERT.id, "expert")
    with pytest.raises(TokenError, match="invalid"):
        verify(token, "y" * 40)


def test_unknown_people_and_changed_roles_are_refused() -> None:
    with pytest.raises(TokenError, match="unknown person"):
        person(issue(Identity("E-NOBODY", "expert"), SECRET, 60), SECRET, CHAMPIONSHIP)
    with pytest.raises(TokenError, match="role"):
        person(issue(Identity(EXPERT.id, "organizer"), SECRET, 60), SECRET, CHAMPIONSHIP)
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert({"expert": "x", "role": "king"}, Identity)


def test_the_secret_is_made_once_and_kept_private(tmp_path: Path) -> None:
    first = secret_in(tmp_path / "data")
    assert len(first) >= 32
    assert secret_in(tmp_path / "data") == first
    assert (tmp_path / "data" / "secret").stat().st_mode & 0o077 == 0
