"""Revoked sign-ins as the log's revocations leave them: for each person, the moment up to
which their tokens are refused.

The moment is the revocation's own `at`, as the log holds it in the command (milliseconds,
UTC), not the time the log stored the message: a restore from a backup stores every command
again, and must not move the moment. Tokens carry `iat` to the millisecond too, so a token
issued in the same second as a revocation is decided by which came first; one issued in the
very same millisecond is refused (a new card a moment later works).
"""

from __future__ import annotations

from datetime import datetime

import msgspec

from shared.events import SignInRevoked


class Revocations(msgspec.Struct, frozen=True):
    # person -> time of their latest revocation, in milliseconds since the epoch
    until: dict[str, int] = {}

    def revoked_at(self, person: str) -> int | None:
        return self.until.get(person)


def apply(revocations: Revocations, command: SignInRevoked) -> Revocations:
    """A revocation reaches back to every token issued up to its moment; a later one reaches
    further, an earlier one (read again, or out of order) changes nothing."""
    at = millis(command.at)
    if revocations.until.get(command.person, -1) >= at:
        return revocations
    return Revocations({**revocations.until, command.person: at})


def covers(revoked_at: int | None, issued_ms: int) -> bool:
    """Whether a revocation at `revoked_at` (None: none) reaches a token issued at `issued_ms`."""
    return revoked_at is not None and issued_ms <= revoked_at


def millis(moment: str) -> int:
    """`2025-10-09T10:15:02.123Z` in milliseconds since the epoch."""
    return round(datetime.fromisoformat(moment).timestamp() * 1000)
