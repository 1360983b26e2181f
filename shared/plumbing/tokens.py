"""Bearer tokens for experts, chiefs and organizers: signed JWTs (HS256) that say who (`sub`),
in which role, when they were issued (`iat`, to the millisecond), until when they are valid
(`exp`, and `nbf` for a card printed ahead of its day), and carry an id of their own (`jti`).

A token is taken when its signature holds, it is within its validity, and its person's
sign-in was not revoked after it was issued (`shared.revocations`).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from pathlib import Path

import jwt
import msgspec

from shared.championship import Championship, Expert, Role
from shared.plumbing.clock import iso
from shared.revocations import covers

ALGORITHM = "HS256"
SECRET_FILE = "secret"
# A token whose `iat` is this far ahead of our clock was made on a machine whose clock is
# wrong; taken, it could not be revoked until our clock caught up.
FUTURE_LEEWAY_S = 60.0
# Tokens whose signature was checked: a tablet sends the same token with every mark, and
# checking its signature again costs a fifth of intake's time per mark. Only tokens that
# passed get in; the bound keeps a flood of distinct good tokens from growing it.
VERIFIED_MAX = 10_000


class Identity(msgspec.Struct, frozen=True):
    expert: str
    role: Role


class Claims(msgspec.Struct, frozen=True, rename={"expert": "sub", "issued": "iat"}):
    """What a token says, its signature checked."""

    expert: str
    role: Role
    jti: str
    issued: float
    exp: float
    nbf: float | None = None

    @property
    def identity(self) -> Identity:
        return Identity(self.expert, self.role)

    @property
    def issued_ms(self) -> int:
        return round(self.issued * 1000)


class TokenError(Exception):
    """A token that is missing, malformed, tampered with, expired or not valid yet."""


class RevokedError(TokenError):
    """A good token of a person whose sign-in was revoked after it was issued."""


def issue(identity: Identity, secret: str, ttl_s: int, now: float | None = None) -> str:
    """A token valid from now for `ttl_s` seconds."""
    issued = time.time() if now is None else now
    return issue_for(identity, secret, until=issued + ttl_s, now=issued)


def issue_for(
    identity: Identity,
    secret: str,
    until: float,
    since: float | None = None,
    now: float | None = None,
) -> str:
    """A token valid until `until` (and, with `since`, not before it), issued `now`."""
    claims: dict[str, object] = {
        "sub": identity.expert,
        "role": identity.role,
        "jti": secrets.token_urlsafe(9),
        # NumericDate may have a fraction (RFC 7519, section 2): milliseconds, so a token
        # made just after a revocation is told apart from one made just before it.
        "iat": round(time.time() if now is None else now, 3),
        "exp": int(until),
    }
    if since is not None:
        claims["nbf"] = int(since)
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def _never_revoked(person: str) -> int | None:
    return None


class Verifier:
    """Checks tokens against one secret.

    `revoked_at(person)` gives the time (ms) up to which that person's tokens are revoked, or
    None. Only the signature check is remembered: validity and revocation are decided on every
    call with `clock`, so a revocation that arrives after a token was first seen holds at once.
    """

    def __init__(
        self,
        secret: str,
        revoked_at: Callable[[str], int | None] = _never_revoked,
        clock: Callable[[], float] = time.time,
        capacity: int = VERIFIED_MAX,
    ) -> None:
        self.secret = secret
        self.revoked_at = revoked_at
        self.clock = clock
        self.capacity = capacity
        self._signed: dict[str, Claims] = {}

    def verify(self, token: str) -> Claims:
        claims = self._signed.get(token)
        if claims is None:
            claims = signed_claims(token, self.secret)
            if len(self._signed) >= self.capacity:
                self._signed.clear()
            self._signed[token] = claims
        now = self.clock()
        if now >= claims.exp:
            raise TokenError(f"token expired at {iso(claims.exp)}")
        if claims.nbf is not None and now < claims.nbf:
            raise TokenError(f"token not valid before {iso(claims.nbf)}")
        if claims.issued > now + FUTURE_LEEWAY_S:
            raise TokenError(
                f"token issued in the future ({iso(claims.issued)}): check the issuing clock"
            )
        revoked = self.revoked_at(claims.expert)
        if revoked is not None and covers(revoked, claims.issued_ms):
            raise RevokedError(
                f"the sign-in of {claims.expert} was revoked at {iso(revoked / 1000)}; "
                "this token is from before that: sign in with a new card"
            )
        return claims

    def person(self, token: str, championship: Championship) -> tuple[Expert, Claims]:
        """The championship's person a token speaks for, as the championship knows them now."""
        claims = self.verify(token)
        expert = championship.index.experts.get(claims.expert)
        if expert is None:
            raise TokenError(f"token for unknown person {claims.expert!r}")
        if expert.role != claims.role:
            raise TokenError(
                f"token issued for role {claims.role}, {expert.id} is now {expert.role}"
            )
        return expert, claims


def signed_claims(token: str, secret: str) -> Claims:
    """The token's claims, after checking its signature and their types (not their times)."""
    required = ["sub", "role", "jti", "iat", "exp"]
    # The times are checked by the Verifier, with its own clock.
    options = {"require": required, "verify_exp": False, "verify_nbf": False, "verify_iat": False}
    try:
        raw = jwt.decode(token, secret, algorithms=[ALGORITHM], options=options)  # type: ignore[arg-type]
        return msgspec.convert(raw, Claims)
    except (jwt.PyJWTError, msgspec.ValidationError) as error:
        raise TokenError("token invalid") from error


def secret_in(data_dir: Path) -> str:
    """The data dir's token secret, made on first use and readable by its owner only."""
    path = data_dir / SECRET_FILE
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(48))
    return path.read_text().strip()
