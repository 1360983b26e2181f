"""`podium export judges --skill ID`: the chief's judgement analysis of one skill
(docs/rules.md, "Judges") as a sheet, from the standing scores in ranking's marks hash, the
same table as `GET /api/skills/{skill}/judges`.

A line per judge; `by_member` becomes a column per member ("by_member AZ"), so each mean
deviation stays a number in the spreadsheet.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import cast

import msgspec
from redis.exceptions import RedisError

from services.tools.log.export import Format, write
from services.tools.log.sheets import ExportError
from shared.championship import Championship
from shared.judges import Judges, judges
from shared.marks_hash import judgements_of
from shared.organiser import load
from shared.plumbing import keys
from shared.plumbing.connections import make_redis
from shared.plumbing.settings import Settings

# The row's fields before the members' columns, in the order of the API's rows.
FIELDS = (
    ("expert", str),
    ("name", str),
    ("member", str),
    ("scores", int),
    ("mean_score", float),
    ("deviation", float | None),
    ("abs_deviation", float | None),
    ("far", int),
    ("compatriot_scores", int),
    ("flagged", bool),
)


def judge_lines(table: Judges) -> list[msgspec.Struct]:
    """The table's rows as lines with a column per member any judge has a mean for."""
    members = sorted({m for row in table.judges for m in row.by_member})
    named = [
        (f"by_member_{m}", float | None, msgspec.field(name=f"by_member {m}")) for m in members
    ]
    line = msgspec.defstruct("JudgeLine", [("skill", str), *FIELDS, *named], frozen=True)
    return [
        line(
            table.skill,
            *(getattr(row, name) for name, _ in FIELDS),
            *(row.by_member.get(m) for m in members),
        )
        for row in table.judges
    ]


async def standing_table(settings: Settings, championship: Championship, skill: str) -> Judges:
    if skill not in championship.index.skills:
        raise ExportError(f"no skill {skill!r} in {championship.name}")
    redis = make_redis(settings)
    try:
        async with redis.pipeline(transaction=True) as pipe:
            pipe.get(keys.applied(skill))
            pipe.hgetall(keys.marks(skill))
            applied, raw = await pipe.execute()
    except (RedisError, OSError) as error:
        raise ExportError(f"cannot read the marks from Redis: {error}") from error
    finally:
        await redis.aclose()
    return judges(
        skill,
        championship.index.competitors_of(skill),
        championship.experts,
        judgements_of(cast(dict[bytes, bytes], raw)),
        int(applied or 0),
    )


async def export_judges(settings: Settings, skill: str, output: Path | None) -> None:
    suffix = ".csv" if output is None else output.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ExportError(f"{output}: the sheet is written as .csv or .xlsx")
    form: Format = "csv" if suffix == ".csv" else "xlsx"
    table = await standing_table(settings, load(Path(settings.championship)), skill)
    write(judge_lines(table), form, output, "Judges")
    flagged = [row.expert for row in table.judges if row.flagged]
    look_at = ", ".join(flagged) or "none"
    print(f"podium: {len(table.judges)} judges of {skill}, to look at: {look_at}", file=sys.stderr)
