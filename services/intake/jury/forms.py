"""The marking forms' endpoints (docs/api.md, "Forms"): each form's state, signers and missing
marks; the signers' sign-off of the digest they saw; the jury's reopening with a reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from services.intake.http import Intake, Refused, read_body, respond
from services.intake.jury.commands import command_id, jury_member
from services.intake.rules import Refusal, may_see_forms, may_steer
from services.intake.texts import Reason
from shared import control
from shared.championship import Aspect, Expert, Skill
from shared.events import AspectRef
from shared.plumbing.clock import iso_now
from shared.plumbing.web import JSONResponse
from shared.signoff.commands import FormReopened, FormSigned
from shared.signoff.fold import FormState, SkillForms
from shared.signoff.forms import Form, FormMark, missing

Digest = Annotated[str, msgspec.Meta(pattern=r"^[0-9a-f]{64}$")]


class SignoffBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The digest of the form as the signer saw it."""

    digest: Digest


class ReopenBody(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    reason: Reason


class Signer(msgspec.Struct, frozen=True):
    """An expert with a mark standing on the form; `signed_at` None if not (or no longer)
    signed."""

    person: str
    name: str
    signed_at: str | None


class VoidSignature(msgspec.Struct, frozen=True):
    """A signature no longer holding: the content changed after it (`change`), or the form
    was reopened (`reopen`), by the command at `voided_seq`."""

    person: str
    name: str
    signed_at: str
    digest: str
    voided_by: str
    voided_seq: int


class Reopening(msgspec.Struct, frozen=True):
    by: str
    reason: str
    at: str


class FormView(msgspec.Struct, frozen=True):
    form: str
    criterion: str
    name: str
    aspects: tuple[Aspect, ...]
    state: FormState
    digest: str
    signers: tuple[Signer, ...]
    missing: tuple[AspectRef, ...]
    void: tuple[VoidSignature, ...] = ()
    reopened: Reopening | None = None


class FormDetail(FormView, frozen=True):
    """One form with every mark standing on it."""

    marks: tuple[FormMark, ...] = ()


class Signed(msgspec.Struct, frozen=True):
    """A stored sign-off and the form as this intake folded it: `counted` False when a change
    landed in the log before it (then sign again)."""

    id: str
    seq: int
    duplicate: bool
    form: str
    state: FormState
    counted: bool
    digest: str


class Reopened(msgspec.Struct, frozen=True):
    id: str
    seq: int
    form: str
    state: FormState


def view(intake: Intake, skill: Skill, forms: SkillForms, form: Form) -> FormView:
    people = intake.championship.index.experts
    sheet = forms.sheets[form.id]
    competitors = control.as_controlled(
        intake.controls.current(skill.id), intake.championship.index.competitors_of(skill.id)
    )

    def name(person: str) -> str:
        return people[person].name if person in people else person

    signers = tuple(
        Signer(p, name(p), s.at if (s := sheet.signatures.get(p)) else None)
        for p in forms.signers(form.id)
    )
    void = tuple(
        VoidSignature(
            v.person, name(v.person), v.at, v.digest, v.voided_by or "", v.voided_seq or 0
        )
        for v in sheet.void
    )
    again = sheet.reopened
    return FormView(
        form=form.id,
        criterion=form.criterion,
        name=form.name,
        aspects=form.aspects,
        state=forms.state(form.id),
        digest=forms.digest(form.id),
        signers=signers,
        missing=missing(skill, form, sheet.marks.values(), competitors),
        void=void,
        reopened=Reopening(again.expert, again.reason, again.at) if again else None,
    )


def detail(intake: Intake, skill: Skill, forms: SkillForms, form: Form) -> FormDetail:
    marks = tuple(sorted(forms.sheets[form.id].marks.values()))
    return FormDetail(**msgspec.structs.asdict(view(intake, skill, forms, form)), marks=marks)


async def forms_of(
    request: Request, intake: Intake, may: Callable[[Expert, str], Refusal | None]
) -> tuple[Expert, Skill, SkillForms]:
    """The signed-in jury member, if `may` lets them at the skill of the path, and the
    skill's forms with every mark this intake stored folded in, so an expert who just marked
    sees, and signs, the form with that mark on it. Another intake's marks arrive as the log
    brings them: a signature of a form that changed meanwhile is refused `stale_form`, and
    the page shows the form again."""
    expert, skill = jury_member(request, intake, may)
    await intake.forms.reached(intake.events.marks_stored)
    return expert, skill, intake.forms.of(skill.id)


def form_at(request: Request, forms: SkillForms) -> Form:
    found = forms.forms.get(request.path_params["form"])
    if found is None:
        detail = f"{forms.skill.id} has no form {request.path_params['form']!r}"
        raise Refused.of(404, "Unknown form", detail, "unknown_form")
    return found


async def listing(request: Request) -> Response:
    return await respond(request, "forms", _listing)


async def _listing(request: Request, intake: Intake) -> tuple[Response, str]:
    _, skill, forms = await forms_of(request, intake, may_see_forms)
    views = [view(intake, skill, forms, form) for form in forms.forms.values()]
    return JSONResponse(views), "answered"


async def one(request: Request) -> Response:
    return await respond(request, "form", _one)


async def _one(request: Request, intake: Intake) -> tuple[Response, str]:
    _, skill, forms = await forms_of(request, intake, may_see_forms)
    return JSONResponse(detail(intake, skill, forms, form_at(request, forms))), "answered"


async def signoff(request: Request) -> Response:
    return await respond(request, "signoff", _signoff)


async def _signoff(request: Request, intake: Intake) -> tuple[Response, str]:
    expert, skill, forms = await forms_of(request, intake, may_see_forms)
    form = form_at(request, forms)
    body = await read_body(request, SignoffBody)
    current = forms.digest(form.id)
    _refuse_signoff(intake, skill, forms, form, expert.id, body.digest)
    held = forms.sheets[form.id].signatures.get(expert.id)
    if held is not None:
        answer = Signed(held.id, held.seq, True, form.id, forms.state(form.id), True, current)
        return JSONResponse(answer, 200), "duplicate"
    command = FormSigned(command_id(), skill.id, form.id, body.digest, expert.id, iso_now())
    seq = await intake.forms.append(command)
    await intake.forms.reached(seq)
    signature = forms.sheets[form.id].signatures.get(expert.id)
    counted = signature is not None and signature.seq == seq
    state = forms.state(form.id)
    answer = Signed(command.id, seq, False, form.id, state, counted, forms.digest(form.id))
    return JSONResponse(answer, 201), "accepted"


def _refuse_signoff(
    intake: Intake, skill: Skill, forms: SkillForms, form: Form, person: str, digest: str
) -> None:
    """Who may sign, and what: a signer of the form, its current content, nothing missing."""
    if person not in forms.signers(form.id):
        detail = f"{person} has no mark standing on form {form.id}: only its markers sign it"
        raise Refused.by(Refusal(403, "Not a signer", detail, "not_a_signer"))
    if digest != forms.digest(form.id):
        detail = f"form {form.id} changed since you looked at it: look again and sign that"
        raise Refused.by(Refusal(409, "Form changed", detail, "stale_form", "digest"))
    competitors = control.as_controlled(
        intake.controls.current(skill.id), intake.championship.index.competitors_of(skill.id)
    )
    gaps = missing(skill, form, forms.sheets[form.id].marks.values(), competitors)
    if gaps:
        named = ", ".join(f"{g.competitor} {g.aspect}" for g in gaps[:10])
        more = f" and {len(gaps) - 10} more" if len(gaps) > 10 else ""
        detail = f"form {form.id} still misses {named}{more}"
        raise Refused.by(Refusal(409, "Form incomplete", detail, "incomplete_form"))


async def reopen(request: Request) -> Response:
    return await respond(request, "reopen", _reopen)


async def _reopen(request: Request, intake: Intake) -> tuple[Response, str]:
    expert, skill, forms = await forms_of(request, intake, may_steer)
    form = form_at(request, forms)
    reason = (await read_body(request, ReopenBody)).reason.strip()
    if forms.state(form.id) != "signed":
        detail = f"form {form.id} is {forms.state(form.id)}, not signed: nothing to reopen"
        raise Refused.by(Refusal(409, "Not signed", detail, "not_signed"))
    command = FormReopened(command_id(), skill.id, form.id, reason, expert.id, iso_now())
    seq = await intake.forms.append(command)
    await intake.forms.reached(seq)
    return JSONResponse(Reopened(command.id, seq, form.id, forms.state(form.id)), 201), "accepted"
