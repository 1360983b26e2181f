"""A competitor's public name: what every public surface shows instead of the name
(docs/privacy.md). One function decides it; the championship works each one out once.

- `consent` false: initials.
- A minor (younger than `privacy.minor_age` on the championship's first day) without
  `consent` true: initials.
- Otherwise by `privacy.public_names`: `full` the name, `short` its first word and the
  initial of its last (`Aigerim S.`), `initials`.

Initials are the first letter of each space-separated word, upper-cased, each followed by a
dot, joined by spaces (`Aigerim Serikova` -> `A. S.`). A team's members follow the same rule.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

PublicNames = Literal["full", "short", "initials"]


def initials(name: str) -> str:
    return " ".join(f"{word[0].upper()}." for word in name.split())


def short(name: str) -> str:
    words = name.split()
    if len(words) < 2:
        return name.strip()
    return f"{words[0]} {words[-1][0].upper()}."


def age_on(birth_date: date, day: date) -> int:
    """Whole years: on the day before the 18th birthday, 17."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday


def hidden(consent: bool | None, birth_date: date | None, minor_age: int, on: date) -> bool:
    """Whether the name must not be published at all (initials whatever the policy)."""
    if consent is False:
        return True
    minor = birth_date is not None and age_on(birth_date, on) < minor_age
    return minor and consent is not True


def public_name(
    name: str,
    *,
    consent: bool | None,
    birth_date: date | None,
    policy: PublicNames,
    minor_age: int,
    on: date,
) -> str:
    if hidden(consent, birth_date, minor_age, on) or policy == "initials":
        return initials(name)
    return short(name) if policy == "short" else name
