"""The sign-off of marking forms as the log leaves it (docs/rules.md, "Sign-off"): marks,
sign-offs and reopenings folded in log order.

Intake refuses marks on signed forms and judges sign-offs against this state; ranking counts
the signed forms in the standings. Both fold the same commands with `SkillForms.apply`, so
the log's order settles every race the same way everywhere:

- a sign-off counts only if its digest is the form's digest where it lands in the log;
- a mark that changes a form's content stands (its 201 was given) and voids every signature
  on the form, even one that made it signed a moment before: a signed form's content never
  changes under its signatures;
- a reopening voids every signature.

Each command costs a few dictionary operations; the digest is computed once per change of the
form's content, when first asked for, never per request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import msgspec

from shared.championship import Skill
from shared.events import FormCommand, MarkRecorded
from shared.signoff.commands import FormReopened, FormsCount, FormSigned
from shared.signoff.forms import Form, FormMark, digest, forms_of

FormState = Literal["open", "signing", "signed"]
Voided = Literal["change", "reopen"]


class Signature(msgspec.Struct, frozen=True):
    """A signer's sign-off of the form's content as `digest` says; once void, the seq of the
    command that voided it and whether a change of the content or a reopening did."""

    person: str
    digest: str
    at: str
    seq: int
    voided_seq: int | None = None
    # The sign-off command's id, for its duplicate's answer.
    id: str = ""
    voided_by: Voided | None = None


@dataclass
class Sheet:
    """One form's standing marks and signatures. Keys: (competitor, aspect, expert) for a
    judge's score, (competitor, aspect, "") for a measurement, whoever entered it."""

    marks: dict[tuple[str, str, str], FormMark] = field(default_factory=dict)
    signatures: dict[str, Signature] = field(default_factory=dict)
    void: list[Signature] = field(default_factory=list)
    reopened: FormReopened | None = None
    # Whether every signer signed the current content; kept as signatures come and go, so a
    # mark's check is one look-up.
    signed: bool = False
    # Cached from the content, dropped whenever it changes.
    digest: str | None = None
    signers: tuple[str, ...] | None = None


class SkillForms:
    """One skill's forms, folded from its marks and form commands in log order."""

    def __init__(self, skill: Skill) -> None:
        self.skill = skill
        self.forms: dict[str, Form] = {form.id: form for form in forms_of(skill)}
        self.form_of: dict[str, Form] = {
            aspect.id: form for form in self.forms.values() for aspect in form.aspects
        }
        self.sheets: dict[str, Sheet] = {form: Sheet() for form in self.forms}
        # The last command's sequence folded in: a command seen again (a catch-up overlapping
        # what was followed, a redelivery) is not folded twice.
        self.applied = 0

    def apply(self, seq: int, command: MarkRecorded | FormCommand) -> bool:
        """Fold one command in; whether it changed any form."""
        if seq <= self.applied:
            return False
        self.applied = seq
        match command:
            case MarkRecorded():
                return self._mark(seq, command)
            case FormSigned():
                return self._signoff(seq, command)
            case FormReopened():
                return self._reopen(seq, command)

    def _mark(self, seq: int, mark: MarkRecorded) -> bool:
        form = self.form_of.get(mark.aspect)
        if form is None:
            return False
        measured = next(a for a in form.aspects if a.id == mark.aspect).kind == "measurement"
        key = (mark.competitor, mark.aspect, "" if measured else mark.expert)
        sheet = self.sheets[form.id]
        new = None if mark.value is None else FormMark(*key[:2], mark.expert, float(mark.value))
        if sheet.marks.get(key) == new:
            return False
        if new is None:
            del sheet.marks[key]
        else:
            sheet.marks[key] = new
        sheet.digest = sheet.signers = None
        _void(sheet, seq, "change")
        return True

    def _signoff(self, seq: int, command: FormSigned) -> bool:
        sheet = self.sheets.get(command.form)
        # A signature that holds is on the current content already: the same again is nothing.
        if sheet is None or command.expert in sheet.signatures:
            return False
        if command.expert not in self.signers(command.form):
            return False
        if command.digest != self.digest(command.form):
            return False
        sheet.signatures[command.expert] = Signature(
            command.expert, command.digest, command.at, seq, id=command.id
        )
        sheet.signed = set(self.signers(command.form)) <= sheet.signatures.keys()
        return True

    def _reopen(self, seq: int, command: FormReopened) -> bool:
        sheet = self.sheets.get(command.form)
        if sheet is None:
            return False
        _void(sheet, seq, "reopen")
        sheet.reopened = command
        return True

    def digest(self, form: str) -> str:
        sheet = self.sheets[form]
        if sheet.digest is None:
            sheet.digest = digest(self.skill.id, form, sheet.marks.values())
        return sheet.digest

    def signers(self, form: str) -> tuple[str, ...]:
        """The experts with at least one mark standing on the form."""
        sheet = self.sheets[form]
        if sheet.signers is None:
            sheet.signers = tuple(sorted({mark.expert for mark in sheet.marks.values()}))
        return sheet.signers

    def state(self, form: str) -> FormState:
        sheet = self.sheets[form]
        if sheet.signed:
            return "signed"
        return "signing" if sheet.signatures else "open"

    def closed(self, aspect: str) -> Form | None:
        """The signed form an aspect belongs to, which takes no marks until reopened."""
        form = self.form_of.get(aspect)
        return form if form is not None and self.sheets[form.id].signed else None

    def unsigned(self) -> tuple[str, ...]:
        return tuple(form for form, sheet in self.sheets.items() if not sheet.signed)

    def count(self) -> FormsCount:
        signed = sum(sheet.signed for sheet in self.sheets.values())
        return FormsCount(signed=signed, total=len(self.sheets))


def _void(sheet: Sheet, seq: int, why: Voided) -> None:
    """Every signature of the sheet void from `seq` on; they stay listed, shown as void."""
    for signature in sheet.signatures.values():
        sheet.void.append(msgspec.structs.replace(signature, voided_seq=seq, voided_by=why))
    sheet.signatures.clear()
    sheet.signed = False


class Forms:
    """Every skill's forms; commands of other kinds and unknown skills are passed over."""

    def __init__(self, skills: tuple[Skill, ...]) -> None:
        self.skills = {skill.id: SkillForms(skill) for skill in skills}

    def of(self, skill: str) -> SkillForms:
        return self.skills[skill]

    def apply(self, seq: int, command: object) -> bool:
        if not isinstance(command, MarkRecorded | FormSigned | FormReopened):
            return False
        forms = self.skills.get(command.skill)
        return forms is not None and forms.apply(seq, command)
