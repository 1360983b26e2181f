"""The organisers' own files: a championship file that points at CIS marking-scheme workbooks
and a people list (docs/championship-files.md), read into the self-contained championship the
services load. Only the `podium` command reads these; the services read the exported JSON.

- `files.py`: the championship file's references expanded, each problem at its cell.
- `tables.py`: a worksheet or CSV file read into rows.
- `marking_scheme.py`, with `scheme_header.py` (where the header is) and `scheme_rows.py`
  (the rows below it): a CIS marking-scheme workbook.
- `people.py`: the people list (competitors and experts).
"""

from __future__ import annotations

from pathlib import Path

import msgspec

from shared.championship import (
    Championship,
    ChampionshipError,
    parse,
    points_at_files,
    problems_of,
    read_raw,
)
from shared.organiser.files import expand


def load(path: Path) -> Championship:
    """Read, check and return the championship in a JSON or TOML file, with the marking-scheme
    workbooks and the people file it points at, if it does."""
    raw = read_raw(path)
    if not points_at_files(raw):
        return parse(raw, source=str(path))
    expanded = expand(raw, path.parent)
    problems = expanded.in_order(expanded.problems + expanded.placed(problems_of(expanded.raw)))
    if problems:
        raise ChampionshipError(str(path), problems)
    return msgspec.convert(expanded.raw, Championship)
