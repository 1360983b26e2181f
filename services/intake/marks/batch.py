"""Batches of marks as JSON or CSV, parsed without I/O; each item is then judged alone."""

from __future__ import annotations

import csv
import io
import math
from typing import Annotated, Any

import msgspec

from services.intake.rules import MarkBody
from shared.plumbing.web import FieldError

MAX_MARKS = 1000
CSV_HEADER = ["id", "competitor", "aspect", "value"]


class JsonBatch(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    marks: Annotated[list[Any], msgspec.Meta(max_length=MAX_MARKS)]


class BadItem(msgspec.Struct, frozen=True):
    """An item that is not a mark at all: it gets 422 in its place in the results."""

    id: str | None
    detail: str


class MalformedError(ValueError):
    """The batch as a whole cannot be read; `errors` names each bad line."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{e.path}: {e.message}" for e in errors))
        self.errors = errors

    @classmethod
    def at(cls, path: str, message: str) -> MalformedError:
        return cls([FieldError(path, message)])


def from_json(batch: JsonBatch) -> list[MarkBody | BadItem]:
    return [_item(raw) for raw in batch.marks]


def _item(raw: Any) -> MarkBody | BadItem:
    try:
        return msgspec.convert(raw, MarkBody)
    except msgspec.ValidationError as error:
        mark_id = raw.get("id") if isinstance(raw, dict) else None
        return BadItem(mark_id if isinstance(mark_id, str) else None, str(error))


def from_csv(body: bytes) -> list[MarkBody | BadItem]:
    """`id,competitor,aspect,value` with a header line; an empty value withdraws the mark."""
    rows = _rows(body)
    if not rows or [cell.strip() for cell in rows[0][1]] != CSV_HEADER:
        raise MalformedError.at("line 1", f"the first line must be {','.join(CSV_HEADER)}")
    marks = [(number, row) for number, row in rows[1:] if row]
    errors = [
        FieldError(f"line {number}", f"expected 4 fields, got {len(row)}")
        for number, row in marks
        if len(row) != len(CSV_HEADER)
    ]
    if errors:
        raise MalformedError(errors)
    if len(marks) > MAX_MARKS:
        raise MalformedError.at("$", f"at most {MAX_MARKS} marks per batch, got {len(marks)}")
    return [_csv_item(number, row) for number, row in marks]


def _rows(body: bytes) -> list[tuple[int, list[str]]]:
    """Each row with the number of the line it ends on; what the csv module cannot read
    (a bare carriage return inside a value, a value over its size limit) names its line."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise MalformedError.at("$", f"the CSV is not UTF-8: {error}") from error
    reader = csv.reader(io.StringIO(text))
    rows: list[tuple[int, list[str]]] = []
    try:
        for row in reader:
            rows.append((reader.line_num, row))
    except csv.Error as error:
        message = str(error)
        if "new-line character" in message:
            message = "a carriage return inside a value: quote the value, or end lines with \\n"
        raise MalformedError.at(f"line {reader.line_num}", message) from error
    return rows


def _csv_item(number: int, row: list[str]) -> MarkBody | BadItem:
    mark_id, competitor, aspect, value = (cell.strip() for cell in row)
    number_value: float | None = None
    if value:
        try:
            number_value = float(value)
        except ValueError:
            return BadItem(mark_id, f"line {number}: value {value!r} is not a number")
        if not math.isfinite(number_value):
            return BadItem(mark_id, f"line {number}: value must be a finite number")
    return _item({"id": mark_id, "competitor": competitor, "aspect": aspect, "value": number_value})
