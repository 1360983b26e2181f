"""The rows below a marking scheme's header, read one by one as an organiser reads the form: a
row with a Sub Criterion ID starts a sub-criterion, each row with an aspect type below it is
one of its aspects, and a judgement aspect's score rows describe scores 0 to 3. Every problem
is kept with its cell, and a row that has one leaves its part out."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from shared.championship_checks import MAX_NAME
from shared.organiser.scheme_header import COLUMNS
from shared.organiser.tables import Sheet, at, garbled, number, text
from shared.schema_check import Problem

SCORES = (0, 1, 2, 3)
SUB_CRITERION_ID = re.compile(r"^[A-Za-z]+[0-9]+$")

KINDS = {
    "m": "measurement",
    "meas": "measurement",
    "measurement": "measurement",
    "j": "judgement",
    "judg": "judgement",
    "judgement": "judgement",
    "judgment": "judgement",
}
# The aspect's fields the scheme may leave blank, by column.
OPTIONAL = {
    "extra": "extra_description",
    "requirement": "requirement",
    "wsos_section": "wsos_section",
    "day": "day",
}
TOLERANCE = 0.001


@dataclass
class SubCriterionRead:
    """A sub-criterion as its row gave it, with the aspects read below it."""

    id: str
    name: str
    row: int
    total: float | None
    # (row, aspect) of each aspect read without a problem
    aspects: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    # Every aspect row under it, with or without a problem: the next aspect's number.
    numbered: int = 0


@dataclass
class RowReader:
    """Reads the rows below the header one by one, as an organiser reads the form."""

    sheet: Sheet
    columns: dict[str, int]
    problems: list[Problem] = field(default_factory=list)
    subs: list[SubCriterionRead] = field(default_factory=list)
    sub: SubCriterionRead | None = None
    # Under a sub-criterion row that has a problem: its aspects are not read.
    skipping: bool = False
    # The judgement aspect whose score descriptions are being read, with its row.
    judged: tuple[int, dict[str, Any]] | None = None
    descriptors: dict[int, str] = field(default_factory=dict)
    # A problem in one of its scores is reported already: the aspect is left out, quietly.
    judged_refused: bool = False
    # The aspect above had a problem, reported: its score rows are passed over quietly.
    quiet: bool = False

    def cell(self, key: str, row: int) -> str:
        column = self.columns.get(key, self.columns["kind"])
        return self.sheet.cell(column, row)

    def problem(self, key: str, row: int, message: str) -> None:
        self.problems.append(Problem(self.cell(key, row), message))

    def words(self, row: Sequence[Any], key: str, number_: int) -> str:
        found = text(at(row, self.columns.get(key)))
        if garbled(found):
            message = f'"{found}" looks garbled: was the text saved in another encoding?'
            self.problem(key, number_, message)
        return found

    def row(self, number_: int, row: Sequence[Any]) -> None:
        known = {key: text(at(row, column)) for key, column in self.columns.items()}
        if not any(known.values()):
            return  # what is left of the row is in columns the scheme does not use
        if known["kind"]:
            self.aspect(number_, row, known)
        elif known.get("score"):
            self.score(number_, row, known)
        elif known["sub_criterion"]:
            self.sub_criterion(number_, row, known)
        else:
            key, content = next((k, v) for k, v in known.items() if v)
            self.problem(
                key,
                number_,
                f'"{content}": this row is neither a sub-criterion (Sub Criterion ID), an aspect '
                "(Aspect Type) nor a judgement score (Judg Score)",
            )

    def sub_criterion(self, number_: int, row: Sequence[Any], known: dict[str, str]) -> None:
        self.end()
        self.quiet = False
        given = known["sub_criterion"]
        sub_id = given.upper()
        twice = next((s for s in self.subs if s.id == sub_id), None)
        self.skipping = True
        if SUB_CRITERION_ID.match(given) is None:
            message = f'sub-criterion ID "{given}" is not letters and a number, like A1'
            self.problem("sub_criterion", number_, message)
        elif twice is not None:
            message = f"sub-criterion {sub_id} is already on row {twice.row}"
            self.problem("sub_criterion", number_, message)
        elif len(known.get("sub_criterion_name", "")) > MAX_NAME:
            message = f"the name of sub-criterion {sub_id} is longer than {MAX_NAME} characters"
            self.problem("sub_criterion_name", number_, message)
        else:
            total = self.mark(number_, row, "sub-criterion's max mark", optional=True)
            name = self.words(row, "sub_criterion_name", number_) or f"Sub-criterion {sub_id}"
            self.sub = SubCriterionRead(sub_id, name, number_, total)
            self.subs.append(self.sub)
            self.skipping = False

    def aspect(self, number_: int, row: Sequence[Any], known: dict[str, str]) -> None:
        self.end_aspect()
        # Until the aspect is read whole, any problem leaves it out with its score rows.
        self.quiet = True
        if self.skipping:
            return
        sub = self.sub
        if sub is None:
            message = (
                "an aspect before any sub-criterion: put the row with its Sub Criterion ID above it"
            )
            self.problem("kind", number_, message)
            self.skipping = True  # once is enough, until the next sub-criterion
            return
        sub.numbered += 1
        aspect_id = f"{sub.id}.{sub.numbered}"
        if known["sub_criterion"] and known["sub_criterion"].upper() != sub.id:
            message = (
                f'aspect {aspect_id} names sub-criterion "{known["sub_criterion"]}" but stands '
                f"under {sub.id}"
            )
            self.problem("sub_criterion", number_, message)
            return
        kind = KINDS.get(known["kind"].lower())
        if kind is None:
            message = f'aspect type "{known["kind"]}" is not M (measurement) or J (judgement)'
            self.problem("kind", number_, message)
        description = self.words(row, "description", number_)
        if not description:
            self.problem("description", number_, f"aspect {aspect_id} has no description")
        max_mark = self.mark(number_, row, "max mark")
        if kind is None or not description or max_mark is None:
            return
        aspect: dict[str, Any] = {
            "id": aspect_id,
            "kind": kind,
            "max_mark": max_mark,
            "description": description,
            "sub_criterion": sub.id,
        }
        for key, name in OPTIONAL.items():
            found = self.words(row, key, number_)
            if found:
                aspect[name] = found
        if kind == "measurement":
            sub.aspects.append((number_, aspect))
            self.quiet = False
            return
        if "score" not in self.columns or "extra" not in self.columns:
            message = (
                f"judgement aspect {aspect_id} needs the columns {COLUMNS['score'][0]} and "
                f"{COLUMNS['extra'][0]} for the descriptions of its scores"
            )
            self.problem("kind", number_, message)
            return
        self.judged, self.descriptors, self.judged_refused = (number_, aspect), {}, False
        self.quiet = False

    def score(self, number_: int, row: Sequence[Any], known: dict[str, str]) -> None:
        if self.skipping or (self.judged is None and self.quiet):
            return
        if self.judged is None:
            self.problem("score", number_, "a judgement score with no judgement aspect above it")
            return
        aspect_id = self.judged[1]["id"]
        score = number(at(row, self.columns["score"]))
        whole = int(score) if score in SCORES and score is not None else None
        description = self.words(row, "extra", number_)
        if whole is None:
            message = f'judgement score "{known["score"]}" is not 0, 1, 2 or 3'
            self.refuse_score("score", number_, message)
        elif whole in self.descriptors:
            message = f"score {whole} of aspect {aspect_id} is described twice"
            self.refuse_score("score", number_, message)
        elif not description:
            message = f"score {whole} of aspect {aspect_id} has no description"
            self.refuse_score("extra", number_, message)
        else:
            self.descriptors[whole] = description

    def refuse_score(self, key: str, number_: int, message: str) -> None:
        self.problem(key, number_, message)
        self.judged_refused = True

    def mark(
        self, number_: int, row: Sequence[Any], what: str, optional: bool = False
    ) -> float | None:
        given = at(row, self.columns["max_mark"])
        shown = text(given)
        if not shown:
            if not optional:
                self.problem("max_mark", number_, f"{what} is missing")
            return None
        mark = number(given)
        if mark is None:
            message = f'{what} "{shown}" is not a number'
            if re.fullmatch(r"[0-9]+,[0-9]+", shown):
                message += f" (write {shown.replace(',', '.')})"
            self.problem("max_mark", number_, message)
            return None
        if not 0 < mark <= 100:
            self.problem("max_mark", number_, f"{what} {mark:g} must be more than 0, at most 100")
            return None
        return mark

    def end_aspect(self) -> None:
        """Close the judgement aspect read last: it stands only with all four descriptions."""
        judged, self.judged = self.judged, None
        if judged is None or self.sub is None:
            return
        row, aspect = judged
        missing = [str(s) for s in SCORES if s not in self.descriptors]
        if self.judged_refused:
            return  # its score rows' problems say what is wrong
        if missing:
            message = (
                f"judgement aspect {aspect['id']} needs the description of each score 0, 1, 2 "
                f"and 3 on the rows below it; {', '.join(missing)} missing"
            )
            self.problem("kind", row, message)
            return
        aspect["descriptors"] = [self.descriptors[s] for s in SCORES]
        self.sub.aspects.append((row, aspect))

    def end(self) -> None:
        """Close the sub-criterion read last: it needs aspects, and its total must add up."""
        self.end_aspect()
        sub, self.sub = self.sub, None
        if sub is None:
            return
        if not sub.numbered:
            message = f"sub-criterion {sub.id} has no aspects below it"
            self.problem("sub_criterion", sub.row, message)
            return
        if sub.total is not None and len(sub.aspects) == sub.numbered:
            total = sum(a["max_mark"] for _, a in sub.aspects)
            if abs(total - sub.total) > TOLERANCE:
                message = (
                    f"sub-criterion {sub.id} has max mark {sub.total:g} but its aspects add up "
                    f"to {total:g}"
                )
                self.problem("max_mark", sub.row, message)
