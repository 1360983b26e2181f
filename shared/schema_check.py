"""Check raw data against a msgspec Struct field by field, collecting every problem.

msgspec stops at the first error; people fixing a championship file want all of them.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Any

import msgspec


@dataclass(frozen=True)
class Problem:
    path: str
    message: str


def check_struct(raw: Any, struct: type[msgspec.Struct], path: str) -> list[Problem]:
    where = path or "$"
    if not isinstance(raw, dict):
        return [Problem(where, f"expected an object, got {_kind(raw)}")]
    fields = {f.encode_name: f for f in msgspec.structs.fields(struct)}
    problems = [Problem(_join(path, key), "unknown field") for key in raw if key not in fields]
    for name, field in fields.items():
        if name not in raw:
            if field.required:
                problems.append(Problem(_join(path, name), "is required"))
            continue
        problems.extend(_check_value(raw[name], field.type, _join(path, name)))
    return problems


def _check_value(value: Any, annotation: Any, path: str) -> list[Problem]:
    nested = _struct_in(annotation)
    if nested is not None:
        return check_struct(value, nested, path)
    item = _struct_items(annotation)
    if item is not None:
        if not isinstance(value, list):
            return [Problem(path, f"expected a list, got {_kind(value)}")]
        return [p for i, v in enumerate(value) for p in check_struct(v, item, f"{path}[{i}]")]
    try:
        msgspec.convert(value, annotation)
    except msgspec.ValidationError as error:
        return [Problem(path, _message(error) + _choices(annotation))]
    return []


def _choices(annotation: Any) -> str:
    """For a Literal, the values it allows: a person fixing the file needs them."""
    if typing.get_origin(annotation) is not typing.Literal:
        return ""
    return ": one of " + ", ".join(repr(v) for v in typing.get_args(annotation))


def _struct_in(annotation: Any) -> type[msgspec.Struct] | None:
    if isinstance(annotation, type) and issubclass(annotation, msgspec.Struct):
        return annotation
    return None


def _struct_items(annotation: Any) -> type[msgspec.Struct] | None:
    """The Struct of a `tuple[Struct, ...]` or `list[Struct]` annotation, if it is one."""
    origin = typing.get_origin(annotation)
    if origin not in (tuple, list):
        return None
    args = typing.get_args(annotation)
    return _struct_in(args[0]) if args else None


def _message(error: msgspec.ValidationError) -> str:
    # msgspec appends " - at `$...`"; the path is ours to give.
    return str(error).split(" - at `", 1)[0]


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    names: dict[type, str] = {dict: "an object", list: "a list", str: "a string", bool: "a bool"}
    return names.get(type(value), type(value).__name__)
