"""A marking form as a printable A4 page for the paper archive (docs/pages.md, "Printed form"):
the skill, the form, its aspects with their max marks, a row per competitor with every mark
(each judge's score) and the form's total, each signer with the time signed and a line for a
pen signature, and the digest's first 12 hex digits. Black on white; 30 competitors and 12
aspects fit one portrait page."""

from __future__ import annotations

from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from services.intake.http import Intake, respond
from services.intake.jury.forms import FormView, form_at, forms_of, view
from services.intake.rules import may_see_forms
from shared.championship import Competitor, Skill
from shared.plumbing.web import PAGE_HEADERS
from shared.signoff.forms import Form, FormMark, total


async def printed(request: Request) -> Response:
    return await respond(request, "print", _printed)


async def _printed(request: Request, intake: Intake) -> tuple[Response, str]:
    _, skill, forms = await forms_of(request, intake, may_see_forms)
    form = form_at(request, forms)
    shown = view(intake, skill, forms, form)
    marks = list(forms.sheets[form.id].marks.values())
    competitors = intake.championship.index.competitors_of(skill.id)
    page = page_of(intake.championship.name, skill, form, shown, marks, competitors)
    # The stylesheet by its full address: the panel opens this page from a blob of its own.
    page = page.replace("__STYLE__", f"{request.base_url}intake-pages/print.css")
    return HTMLResponse(page, headers=PAGE_HEADERS), "answered"


def page_of(
    championship: str,
    skill: Skill,
    form: Form,
    shown: FormView,
    marks: list[FormMark],
    competitors: list[Competitor],
) -> str:
    aspects = "; ".join(
        f"{escape(a.id)} ({a.kind}, max {a.max_mark:g}) {escape(a.description[:60])}"
        for a in form.aspects
    )
    head = "".join(f"<th>{escape(a.id)}<br>{a.max_mark:g}</th>" for a in form.aspects)
    rows = "".join(_row(skill, form, c, marks) for c in competitors)
    signers = "".join(
        f"<tr><td>{escape(s.name)} ({escape(s.person)})</td>"
        f"<td>{escape(s.signed_at or 'not signed')}</td><td></td></tr>"
        for s in shown.signers
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{escape(skill.name)}: form {escape(form.id)}</title>
<link rel="stylesheet" href="__STYLE__"></head>
<body>
<h1>{escape(championship)}: {escape(skill.name)}</h1>
<h2>Marking form {escape(form.id)}: {escape(form.name)} (criterion {escape(form.criterion)})
 &mdash; {escape(shown.state)}</h2>
<p class="aspects">{aspects}</p>
<table><thead><tr><th class="who">Competitor</th>{head}<th class="total">Total</th></tr></thead>
<tbody>{rows}</tbody></table>
<table class="signers"><thead><tr><th>Signer</th><th>Signed at</th><th>Signature</th></tr>
</thead><tbody>{signers}</tbody></table>
<p class="digest">Digest {shown.digest[:12]}</p>
</body></html>
"""


def _row(skill: Skill, form: Form, competitor: Competitor, marks: list[FormMark]) -> str:
    standing: dict[str, list[float]] = {}
    for mark in marks:
        if mark.competitor == competitor.id:
            standing.setdefault(mark.aspect, []).append(mark.value)
    cells = "".join(
        "<td>" + " ".join(f"{v:g}" for v in standing.get(a.id, [])) + "</td>" for a in form.aspects
    )
    summed = total(form, skill.rules, standing)
    return (
        f'<tr><td class="who">{escape(competitor.id)} {escape(competitor.name[:18])}</td>'
        f'{cells}<td class="total">{summed:.2f}</td></tr>'
    )
