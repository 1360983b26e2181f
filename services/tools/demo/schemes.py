"""The demo championship's marking schemes, as the skills' workbooks hold them: criteria of
sub-criteria of aspects, with each measurement's requirement, each judgement's descriptions
of scores 0 to 3, the WSOS section and the day of marking. `demo_files` writes them out.

The schemes themselves are a long table of words and marks, kept as data in
`data/demo_schemes.toml` rather than as code."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import msgspec

SOURCE = Path(__file__).parents[1] / "data" / "demo_schemes.toml"


class Measurement(
    msgspec.Struct, frozen=True, forbid_unknown_fields=True, tag_field="kind", tag="measurement"
):
    max_mark: float
    description: str
    requirement: str
    wsos_section: int


class Judgement(
    msgspec.Struct, frozen=True, forbid_unknown_fields=True, tag_field="kind", tag="judgement"
):
    max_mark: float
    description: str
    # What scores 0, 1, 2 and 3 mean.
    descriptors: tuple[str, str, str, str]
    wsos_section: int


class SubCriterion(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    name: str
    day: str
    aspects: tuple[Measurement | Judgement, ...]


class Criterion(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    name: str
    sub_criteria: tuple[SubCriterion, ...]


class Scheme(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    skill: str
    name: str
    # by letter: A, B, ...
    criteria: dict[str, Criterion]
    rules: dict[str, int | float | bool] | None = None


class Schemes(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    schemes: tuple[Scheme, ...]


@cache
def schemes() -> tuple[Scheme, ...]:
    """The skills' schemes, in the order the championship lists its skills."""
    return msgspec.toml.decode(SOURCE.read_bytes(), type=Schemes).schemes
