"""The printed marking form: every competitor's marks and the form's total, the signers with
a box each for a pen signature, the digest's first 12 hex digits, and names escaped."""

from __future__ import annotations

from services.intake.jury.forms import FormView, Signer
from services.intake.jury.printing import page_of
from shared.championship import Competitor
from shared.signoff.forms import FormMark, forms_of
from tests.unit.test_signoff import SKILL

FORM = forms_of(SKILL)[0]
MARKS = [
    FormMark("C1", "M1", "E1", 1.5),
    FormMark("C1", "J1", "E1", 2.0),
    FormMark("C1", "J1", "E2", 3.0),
]
COMPETITORS = [Competitor("C1", "Ann <b>Bold</b>", "KZ", "s"), Competitor("C2", "Bo", "KZ", "s")]


def shown(state: str = "signed") -> FormView:
    return FormView(
        form=FORM.id,
        criterion=FORM.criterion,
        name=FORM.name,
        aspects=FORM.aspects,
        state=state,  # type: ignore[arg-type]
        digest="0123456789abcdef" * 4,
        signers=(Signer("E1", "Expert & Co", "2026-12-06T10:00:00Z"), Signer("E2", "E2", None)),
        missing=(),
    )


def test_the_printed_form_holds_every_mark_the_total_and_the_signers() -> None:
    page = page_of("Cup", SKILL, FORM, shown(), MARKS, COMPETITORS)
    assert "Marking form A1: Drawings (criterion A)" in page
    assert "<th>M1<br>2</th><th>J1<br>3</th>" in page
    # 1.5 measured, and (2 + 3) / 2 / 3 of J1's max 3 with two judges in agreement.
    assert '<td>1.5</td><td>2 3</td><td class="total">4.00</td>' in page
    assert '<td></td><td></td><td class="total">0.00</td>' in page
    assert "Expert &amp; Co (E1)</td><td>2026-12-06T10:00:00Z</td><td></td>" in page
    assert "E2 (E2)</td><td>not signed</td>" in page
    assert "Digest 0123456789ab<" in page and "0123456789abc<" not in page
    assert "<b>Bold" not in page and "Ann &lt;b&gt;Bold" in page
