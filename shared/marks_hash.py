"""The fields of a skill's marks hash in Redis (`shared.plumbing.keys.marks`), written and read
here only.

Ranking writes them as it applies marks; intake reads them for the marking page and the jury's
panel. `m|competitor|aspect` holds the measurement that stands, whoever entered it (the float's
`repr`, which reads back exactly); `j|competitor|aspect|expert` holds that expert's judgement
score, a whole number.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

MEASUREMENT = "m"
JUDGEMENT = "j"


class Field(NamedTuple):
    """What one field of the hash is about."""

    competitor: str
    aspect: str
    # The judge of a judgement score; None for a measurement.
    expert: str | None


def measurement_field(competitor: str, aspect: str) -> str:
    return f"{MEASUREMENT}|{competitor}|{aspect}"


def judgement_field(competitor: str, aspect: str, expert: str) -> str:
    return f"{JUDGEMENT}|{competitor}|{aspect}|{expert}"


def parse_field(name: str) -> Field:
    """The competitor, aspect and (for a judgement) expert a field is about."""
    match name.split("|"):
        case [kind, competitor, aspect] if kind == MEASUREMENT:
            return Field(competitor, aspect, None)
        case [kind, competitor, aspect, expert] if kind == JUDGEMENT:
            return Field(competitor, aspect, expert)
        case _:
            raise ValueError(f"not a field of a marks hash: {name!r}")


def measurement_value(value: float) -> str:
    return repr(value)


def judgement_value(score: float) -> str:
    return str(int(score))


def measurement_of(value: str) -> float:
    return float(value)


def score_of(value: str) -> int:
    return int(float(value))


def judgements_of(raw: Mapping[bytes, bytes]) -> dict[tuple[str, str], dict[str, int]]:
    """(competitor, aspect) -> {expert: score}: the judgement scores of a whole hash as Redis
    answers it. Read straight from the bytes, a third of the time of `parse_field` per field:
    a skill's judges' table reads thousands (docs/performance.md)."""
    found: dict[tuple[str, str], dict[str, int]] = {}
    judgement = JUDGEMENT.encode()
    for name, value in raw.items():
        kind, _, rest = name.partition(b"|")
        if kind != judgement:
            continue
        competitor, aspect, expert = rest.decode().split("|")
        panel = found.get((competitor, aspect))
        if panel is None:
            panel = found[(competitor, aspect)] = {}
        # `judgement_value` writes a whole number.
        panel[expert] = int(value)
    return found
