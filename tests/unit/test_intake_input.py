"""What intake reads from outside, without a server: every parser's errors become a refusal
naming where, and the texts the OpenAPI document allows are exactly those the decoder takes."""

from __future__ import annotations

import re
from typing import Any

import jsonschema_rs
import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.intake.http import Refused, decode
from services.intake.jury.audit import LAST_SEQ, AuditQuery
from services.intake.jury.locks import ONE_NAMED, LockBody, UnlockBody, lock_in
from services.intake.jury.signins import RevocationBody
from services.intake.jury.statuses import StatusBody
from services.intake.marks import batch
from services.intake.openapi import document
from services.intake.rules import MarkBody
from services.intake.texts import NOT_BLANK
from shared.plumbing.web import FieldError
from tests.support.people import demo

HEADER = "id,competitor,aspect,value\n"


def malformed(body: bytes) -> list[FieldError]:
    with pytest.raises(batch.MalformedError) as raised:
        batch.from_csv(body)
    return raised.value.errors


def test_a_bare_carriage_return_in_a_csv_value_names_its_line() -> None:
    body = (HEADER + "a,UZ-MR-1,A1.1,1\n[],UZ-MR-2,A1.2,\rx\n").encode()
    [error] = malformed(body)
    assert error.path == "line 3" and "carriage return" in error.message


def test_a_csv_value_over_the_csv_modules_limit_names_its_line() -> None:
    body = (HEADER + "a,UZ-MR-1,A1.1," + "9" * 200_000 + "\n").encode()
    assert malformed(body)[0].path == "line 2"


def test_a_csv_batch_in_windows_line_endings_is_read() -> None:
    body = (HEADER + "a,UZ-MR-1,A1.1,1\n").replace("\n", "\r\n").encode()
    assert batch.from_csv(body) == [MarkBody("a", "UZ-MR-1", "A1.1", 1.0)]


def test_a_csv_not_in_utf8_is_refused_as_a_whole() -> None:
    assert malformed(HEADER.encode() + b"a,\xff,A1.1,1\n")[0].path == "$"


def test_a_json_batch_nested_too_deeply_is_malformed_not_a_server_error() -> None:
    deep = b'{"marks": [' + b"[" * 5000 + b"]" * 5000 + b"]}"
    with pytest.raises(Refused) as refused:
        decode(deep, batch.JsonBatch)
    assert refused.value.response.status_code == 422 and refused.value.reason == "malformed"


def test_a_mark_id_with_a_trailing_newline_is_refused() -> None:
    """Python's `$` matches before a last newline; the document's (ECMAScript's) does not."""
    with pytest.raises(Refused):
        decode(b'{"id": "a\\n", "competitor": "C", "aspect": "A", "value": 1}', MarkBody)


def _texts(schema: Any, path: str = "") -> list[tuple[str, Any]]:
    """Every string property named reason or text in the document, with where it is."""
    found: list[tuple[str, Any]] = []
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key in ("reason", "text") and isinstance(value, dict) and "type" in value:
                found.append((f"{path}.{key}", value))
            found += _texts(value, f"{path}.{key}")
    return found


def test_every_reason_and_message_in_the_document_states_the_decoders_pattern() -> None:
    texts = _texts(document()["components"]["schemas"])
    bodies = {"UnlockBody", "StatusBody", "RevocationBody", "ShowMessageBody"}
    assert {path.split(".")[1] for path, _ in texts} >= bodies
    for path, schema in texts:
        if path.split(".")[1] in bodies:
            assert schema["pattern"] == NOT_BLANK, path


BODIES: list[tuple[type[Any], dict[str, Any]]] = [
    (UnlockBody, {}),
    (StatusBody, {"status": "absent"}),
    (RevocationBody, {"person": "E-1"}),
]
spaces = st.sampled_from(" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2028\u3000\ufeff")


# A lone surrogate is no text a client can send in UTF-8 JSON.
@given(
    reason=st.text(spaces | st.characters(exclude_categories=["Cs"]), max_size=6),
    at=st.integers(0, 2),
)
def test_the_decoder_takes_a_reason_exactly_when_the_documents_pattern_does(
    reason: str, at: int
) -> None:
    """Blank by the pattern, in the reading of a JSON Schema validator (schemathesis's) as in
    Python's, is refused as `reason_required`; anything else keeps words once stripped of
    white space (as the audit stores it)."""
    kind, rest = BODIES[at]
    raw = msgspec.json.encode({**rest, "reason": reason})
    stated = document()["components"]["schemas"][kind.__name__]["properties"]["reason"]
    allowed = jsonschema_rs.Draft202012Validator(stated).is_valid(reason)
    assert allowed == bool(re.search(NOT_BLANK, reason))
    if allowed:
        assert decode(raw, kind).reason.strip()
    else:
        with pytest.raises(Refused) as refused:
            decode(raw, kind)
        assert refused.value.reason == "reason_required"


def test_the_audit_query_the_document_states_is_the_one_intake_converts() -> None:
    """`after` past what JetStream can read was answered 503 once; now the document bounds it,
    from the same Struct that refuses it."""
    operation = document()["paths"]["/api/audit"]["get"]
    stated = {p["name"]: p["schema"] for p in operation["parameters"]}
    assert stated["after"] == {"type": "integer", "minimum": 0, "maximum": LAST_SEQ, "default": 0}
    assert stated["skill"] == {"type": "string"}
    msgspec.convert({"after": str(LAST_SEQ)}, AuditQuery, strict=False)
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert({"after": str(LAST_SEQ + 1)}, AuditQuery, strict=False)


LOCK_SKILL = demo().skills[0]
CRITERION = next(c for c in LOCK_SKILL.criteria if c.sub_criteria)


@pytest.mark.parametrize(
    "lock",
    [
        {},
        {"criterion": CRITERION.id},
        {"sub_criterion": CRITERION.sub_criteria[0].id},
        {"criterion": CRITERION.id, "sub_criterion": CRITERION.sub_criteria[0].id},
        {"criterion": None, "sub_criterion": CRITERION.sub_criteria[0].id},
        {"criterion": None, "sub_criterion": None},
    ],
)
def test_a_lock_body_is_taken_exactly_when_the_document_allows_it(lock: dict[str, Any]) -> None:
    schema = {**document()["components"]["schemas"]["LockBody"], **ONE_NAMED}
    allowed = jsonschema_rs.Draft202012Validator(schema).is_valid(lock)
    body = msgspec.convert(lock, LockBody)
    if allowed:
        lock_in(LOCK_SKILL, body)
    else:
        with pytest.raises(Refused) as refused:
            lock_in(LOCK_SKILL, body)
        assert refused.value.reason == "criterion_or_sub_criterion"
