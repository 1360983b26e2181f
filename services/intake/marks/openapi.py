"""Taking marks (one, or a batch) as part of intake's OpenAPI document."""

from __future__ import annotations

from typing import Any

from services.intake.describe import SECURED, answer, body, problems, ref
from services.intake.marks.batch import JsonBatch
from services.intake.marks.handlers import BatchResults, Stored
from services.intake.rules import MarkBody

KINDS: list[Any] = [MarkBody, JsonBatch, Stored, BatchResults]


def paths() -> dict[str, Any]:
    cell = r'[^,\n\r"]*'
    csv = {
        "schema": {
            "type": "string",
            "description": "a header line id,competitor,aspect,value, then one mark a line; "
            "an empty value withdraws the mark",
            "pattern": rf"^id,competitor,aspect,value\n({cell},{cell},{cell},{cell}\n)*$",
        }
    }
    json_batch = {"schema": ref("JsonBatch")}
    return {
        "/api/marks": {
            "post": {
                "summary": "Enter, correct or withdraw (value null) one mark",
                "security": SECURED,
                "requestBody": body(ref("MarkBody")),
                "responses": {
                    "201": answer("Stored", "Stored in the log"),
                    "200": answer("Stored", "This id was stored before with the same mark"),
                    **problems(401, 403, 404, 409, 413, 422, 503),
                },
            }
        },
        "/api/marks/batch": {
            "post": {
                "summary": "Up to 1000 marks, each judged as if posted alone",
                "security": SECURED,
                "requestBody": {
                    "required": True,
                    "content": {"application/json": json_batch, "text/csv": csv},
                },
                "responses": {
                    "200": answer("BatchResults", "One result per item, in order"),
                    **problems(401, 413, 415, 422),
                },
            }
        },
    }
