"""The marks hash's fields: what ranking writes, intake and ranking read back the same."""

from __future__ import annotations

import pytest

from shared.marks_hash import (
    Field,
    judgement_field,
    judgement_value,
    measurement_field,
    measurement_of,
    measurement_value,
    parse_field,
    score_of,
)


def test_fields_name_what_they_are_about() -> None:
    assert parse_field(measurement_field("KZ-1", "A1")) == Field("KZ-1", "A1", None)
    assert parse_field(judgement_field("KZ-1", "B2", "E-7")) == Field("KZ-1", "B2", "E-7")


def test_values_read_back_exactly() -> None:
    assert measurement_of(measurement_value(0.1 + 0.2)) == 0.1 + 0.2
    assert score_of(judgement_value(3.0)) == 3


@pytest.mark.parametrize("name", ["x|KZ-1|A1", "m|KZ-1", "j|KZ-1|A1", "m|KZ-1|A1|E-7"])
def test_anything_else_is_not_a_field(name: str) -> None:
    with pytest.raises(ValueError, match="not a field"):
        parse_field(name)
