"""A skill's results made for the ceremony's tests: two golds tied (so no silver), a bronze,
a Medallion for Excellence, and competitors without a medal."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from shared.championship import Championship, Competitor, Skill

# Marks on the skill's first measurement aspect, in the order of its competitors. With the
# median at 2.7, the fourth (2.7) reaches scale 700: a Medallion, being below the bronze.
VALUES = (3.0, 3.0, 2.8, 2.7, 1.0, 1.0, 1.0)


@dataclass(frozen=True)
class Results:
    skill: Skill
    aspect: str
    marks: tuple[tuple[Competitor, float], ...]
    gold: tuple[Competitor, ...]
    bronze: tuple[Competitor, ...]
    medallions: tuple[Competitor, ...]

    @property
    def called(self) -> tuple[Competitor, ...]:
        """The call-up: every medallist, in alphabetical order."""
        return alphabetical(self.gold + self.bronze)


def alphabetical(people: tuple[Competitor, ...]) -> tuple[Competitor, ...]:
    def letters(name: str) -> str:
        decomposed = unicodedata.normalize("NFKD", name)
        return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()

    return tuple(sorted(people, key=lambda c: (letters(c.name), c.id)))


def tie_for_gold(championship: Championship, skill: Skill) -> Results:
    people = championship.index.competitors_of(skill.id)
    aspect = next(a for _, a in skill.aspects if a.kind == "measurement")
    marks = tuple(zip(people, VALUES, strict=False))
    return Results(
        skill=skill,
        aspect=aspect.id,
        marks=marks,
        gold=alphabetical((people[0], people[1])),
        bronze=(people[2],),
        medallions=(people[3],),
    )
