"""Bearer tokens for experts, chiefs and organizers: signed JWTs (HS256) with an expiry."""

from __future__ import annotations

import secrets
import time
from pathlib import Path

import jwt
import msgspec

from shared.championship import Championship, Expert, Role

ALGORITHM = "HS256"
SECRET_FILE = "secret"
# Tokens already verified, with their expiry: a tablet sends the same token with every mark,
# and checking its signature again costs a fifth of intake's time per mark. Only tokens that
# passed verification get in; the bound keeps a flood of distinct good tokens from growing it.
_VERIFIED_MAX = 10_000
_verified: dict[tuple[str, str], tuple[Identity, float]] = {}


class Identity(msgspec.Struct, frozen=True):
    expert: str
    role: Role


class TokenError(Exception):
    """A token that is missing, malformed, tampered with or expired."""


def issue(identity: Identity, secret: str, ttl_s: int, now: float | None = None) -> str:
    issued = int(time.time() if now is None else now)
    claims = {"sub": identity.expert, "role": identity.role, "iat": issued, "exp": issued + ttl_s}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def verify(token: str, secret: str) -> Identity:
    known = _verified.get((token, secret))
    if known is not None and time.time() < known[1]:
        return known[0]
    identity, expires = _checked(token, secret)
    if len(_verified) >= _VERIFIED_MAX:
        _verified.clear()
    _verified[(token, secret)] = (identity, expires)
    return identity


def _checked(token: str, secret: str) -> tuple[Identity, float]:
    """The token's identity and expiry, after checking its signature and claims."""
    try:
        claims = jwt.decode(
            token, secret, algorithms=[ALGORITHM], options={"require": ["sub", "role", "exp"]}
        )
    except jwt.ExpiredSignatureError as error:
        raise TokenError("token expired") from error
    except jwt.PyJWTError as error:
        raise TokenError("token invalid") from error
    try:
        identity = msgspec.convert({"expert": claims["sub"], "role": claims["role"]}, Identity)
    except msgspec.ValidationError as error:
        raise TokenError("token invalid") from error
    return identity, float(claims["exp"])


def secret_in(data_dir: Path) -> str:
    """The data dir's token secret, made on first use and readable by its owner only."""
    path = data_dir / SECRET_FILE
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(48))
    return path.read_text().strip()


def person(token: str, secret: str, championship: Championship) -> Expert:
    """The championship's person a token speaks for, as the championship knows them now."""
    identity = verify(token, secret)
    expert = championship.index.experts.get(identity.expert)
    if expert is None:
        raise TokenError(f"token for unknown person {identity.expert!r}")
    if expert.role != identity.role:
        raise TokenError(f"token issued for role {identity.role}, {expert.id} is now {expert.role}")
    return expert
