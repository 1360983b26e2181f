"""A competitor's public name, for every branch of docs/privacy.md, with the age taken on the
championship's first day."""

from __future__ import annotations

from datetime import date

import pytest

from shared.public.names import PublicNames, age_on, initials, public_name, short

STARTS = date(2025, 10, 9)
ADULT = date(2000, 1, 1)
# Turns 18 on the first day: an adult that day.
EIGHTEEN_ON_THE_DAY = date(2007, 10, 9)
# Turns 18 the day after: still a minor.
EIGHTEEN_NEXT_DAY = date(2007, 10, 10)


def named(
    name: str,
    consent: bool | None,
    born: date | None,
    policy: PublicNames = "full",
    minor_age: int = 18,
) -> str:
    return public_name(
        name, consent=consent, birth_date=born, policy=policy, minor_age=minor_age, on=STARTS
    )


def test_initials_and_short_forms_in_every_script() -> None:
    assert initials("Айзада Токтосунова") == "А. Т."
    assert initials("aigerim serikova") == "A. S."
    assert initials("Şəbnəm Əliyeva") == "Ş. Ə."
    assert initials("  Ólafur   Gyula  ") == "Ó. G."
    assert initials("Madonna") == "M."
    assert short("Aigerim Serikqyzy Sultanova") == "Aigerim S."
    assert short("Айзада Токтосунова") == "Айзада Т."
    assert short("Madonna") == "Madonna"


def test_the_age_is_taken_on_the_first_day() -> None:
    assert age_on(EIGHTEEN_ON_THE_DAY, STARTS) == 18
    assert age_on(EIGHTEEN_NEXT_DAY, STARTS) == 17
    assert named("Ali Veli", None, EIGHTEEN_ON_THE_DAY) == "Ali Veli"
    assert named("Ali Veli", None, EIGHTEEN_NEXT_DAY) == "A. V."


@pytest.mark.parametrize(
    ("consent", "born", "policy", "shown"),
    [
        # No consent: initials, adult or minor, whatever the policy.
        (False, ADULT, "full", "А. Т."),
        (False, None, "short", "А. Т."),
        # A minor needs consent true.
        (None, EIGHTEEN_NEXT_DAY, "full", "А. Т."),
        (True, EIGHTEEN_NEXT_DAY, "full", "Айзада Токтосунова"),
        (True, EIGHTEEN_NEXT_DAY, "short", "Айзада Т."),
        # An adult, or no birth date, follows the policy.
        (None, ADULT, "full", "Айзада Токтосунова"),
        (None, None, "short", "Айзада Т."),
        (True, ADULT, "initials", "А. Т."),
    ],
)
def test_every_branch(
    consent: bool | None, born: date | None, policy: PublicNames, shown: str
) -> None:
    assert named("Айзада Токтосунова", consent, born, policy) == shown


def test_minor_age_is_the_championships() -> None:
    assert named("Ali Veli", None, ADULT, minor_age=30) == "A. V."
