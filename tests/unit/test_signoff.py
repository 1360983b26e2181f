"""Marking forms and their sign-off: the forms of a scheme, the digest, `missing`, and the one
fold of marks, sign-offs and reopenings that intake and ranking both apply in log order."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.championship import Aspect, Competitor, Criterion, Rules, Skill, SubCriterion
from shared.events import AspectRef, MarkRecorded
from shared.signoff.commands import FormReopened, FormsCount, FormSigned
from shared.signoff.fold import SkillForms
from shared.signoff.forms import FormMark, digest, forms_of, missing

SKILL = Skill(
    id="s",
    name="Skill",
    rules=Rules(judges_per_aspect=2, max_judge_spread=1),
    criteria=(
        Criterion(
            id="A",
            name="Design",
            sub_criteria=(SubCriterion("A1", "Drawings"), SubCriterion("A2", "Build")),
            aspects=(
                Aspect("M1", "measurement", 2.0, sub_criterion="A1"),
                Aspect("J1", "judgement", 3.0, sub_criterion="A1"),
                Aspect("M2", "measurement", 5.0, sub_criterion="A2"),
            ),
        ),
        Criterion(id="B", name="Test", aspects=(Aspect("B1", "measurement", 90.0),)),
    ),
)
C1, C2 = (Competitor(c, c, "KZ", "s") for c in ("C1", "C2"))


def mark(seq: int, competitor: str, aspect: str, expert: str, value: float | None) -> MarkRecorded:
    return MarkRecorded(f"m{seq}", "s", competitor, aspect, expert, value, "t")


def sign(form: str, expert: str, with_digest: str) -> FormSigned:
    return FormSigned(f"s-{expert}", "s", form, with_digest, expert, "t")


def folded(*commands: MarkRecorded | FormSigned | FormReopened) -> SkillForms:
    forms = SkillForms(SKILL)
    for seq, command in enumerate(commands, 1):
        forms.apply(seq, command)
    return forms


A1_COMPLETE = (
    mark(0, "C1", "M1", "E1", 1.5),
    mark(0, "C2", "M1", "E1", 2.0),
    mark(0, "C1", "J1", "E1", 2),
    mark(0, "C1", "J1", "E2", 3),
    mark(0, "C2", "J1", "E1", 1),
    mark(0, "C2", "J1", "E2", 1),
)


def test_forms_are_sub_criteria_and_criteria_without_them_in_scheme_order() -> None:
    forms = forms_of(SKILL)
    assert [(f.id, f.criterion, f.name) for f in forms] == [
        ("A1", "A", "Drawings"),
        ("A2", "A", "Build"),
        ("B", "B", "Test"),
    ]
    assert [a.id for a in forms[0].aspects] == ["M1", "J1"]


def test_the_digest_is_stable_under_order_and_changes_with_any_mark_expert_or_value() -> None:
    marks = [FormMark("C1", "M1", "E1", 1.5), FormMark("C2", "J1", "E2", 2.0)]
    shuffled = list(reversed(marks))
    assert digest("s", "A1", marks) == digest("s", "A1", shuffled)
    assert len(digest("s", "A1", marks)) == 64
    changed = [
        [FormMark("C1", "M1", "E1", 1.25), marks[1]],
        [FormMark("C1", "M1", "E3", 1.5), marks[1]],
        [marks[0], FormMark("C2", "J1", "E2", 3.0)],
        [marks[0], FormMark("C1", "J1", "E2", 2.0)],
        [marks[0]],
    ]
    seen = {digest("s", "A1", marks)} | {digest("s", "A1", m) for m in changed}
    assert len(seen) == len(changed) + 1
    assert digest("s", "A2", marks) != digest("s", "A1", marks)
    assert digest("t", "A1", marks) != digest("s", "A1", marks)


def test_missing_lists_what_does_not_count_for_expected_competitors_only() -> None:
    form = forms_of(SKILL)[0]
    marks = [FormMark("C1", "M1", "E1", 1.0), FormMark("C1", "J1", "E1", 0.0)]
    marks.append(FormMark("C1", "J1", "E2", 3.0))  # disputed: spread 3
    assert missing(SKILL, form, marks, [C1, C2]) == (
        AspectRef("C1", "J1"),
        AspectRef("C2", "M1"),
        AspectRef("C2", "J1"),
    )
    absent = Competitor("C2", "C2", "KZ", "s", status="absent")
    assert missing(SKILL, form, marks, [C1, absent]) == (AspectRef("C1", "J1"),)


def test_signing_makes_a_form_signing_then_signed_and_closes_it() -> None:
    forms = folded(*A1_COMPLETE)
    assert forms.signers("A1") == ("E1", "E2") and forms.state("A1") == "open"
    current = forms.digest("A1")
    forms.apply(7, sign("A1", "E1", current))
    assert forms.state("A1") == "signing" and forms.closed("M1") is None
    forms.apply(8, sign("A1", "E2", current))
    assert forms.state("A1") == "signed"
    assert forms.closed("J1") is not None and forms.closed("M2") is None
    assert forms.count() == FormsCount(signed=1, total=3)
    assert forms.unsigned() == ("A2", "B")


def test_a_stale_digest_or_a_non_signer_counts_for_nothing() -> None:
    forms = folded(*A1_COMPLETE)
    assert not forms.apply(7, sign("A1", "E1", "0" * 64))
    assert not forms.apply(8, sign("A1", "E9", forms.digest("A1")))
    assert forms.state("A1") == "open" and not forms.sheets["A1"].void


def test_a_change_voids_every_signature_and_reopens_the_form() -> None:
    forms = folded(*A1_COMPLETE)
    first = forms.digest("A1")
    forms.apply(7, sign("A1", "E1", first))
    forms.apply(8, mark(8, "C1", "M1", "E2", 1.0))
    assert forms.state("A1") == "open" and forms.digest("A1") != first
    [void] = forms.sheets["A1"].void
    assert (void.person, void.voided_seq, void.voided_by) == ("E1", 8, "change")
    # The same value again, by the same expert: nothing changes, nothing is voided.
    forms.apply(9, sign("A1", "E1", forms.digest("A1")))
    assert not forms.apply(10, mark(10, "C1", "M1", "E2", 1.0))
    assert forms.state("A1") == "signing"


def test_a_change_back_does_not_revive_voided_signatures() -> None:
    forms = folded(*A1_COMPLETE)
    first = forms.digest("A1")
    forms.apply(7, sign("A1", "E1", first))
    forms.apply(8, mark(8, "C1", "M1", "E1", 1.0))
    forms.apply(9, mark(9, "C1", "M1", "E1", 1.5))
    assert forms.digest("A1") == first and forms.state("A1") == "open"


def test_the_race_a_mark_landing_after_the_last_signature_stands_and_voids_them_all() -> None:
    forms = folded(*A1_COMPLETE)
    agreed = forms.digest("A1")
    forms.apply(7, sign("A1", "E1", agreed))
    forms.apply(8, sign("A1", "E2", agreed))
    assert forms.state("A1") == "signed"
    # Judged by an intake that had not yet seen seq 8: it stands, as its 201 promised.
    forms.apply(9, mark(9, "C2", "M1", "E2", 1.0))
    assert forms.state("A1") == "open" and forms.sheets["A1"].marks[("C2", "M1", "")].value == 1
    assert [v.person for v in forms.sheets["A1"].void] == ["E1", "E2"]
    # A sign-off of the old digest that lands after the change counts for nothing.
    assert not forms.apply(10, sign("A1", "E1", agreed))


def test_reopening_voids_the_signatures_and_signing_again_is_a_new_signature() -> None:
    forms = folded(*A1_COMPLETE)
    agreed = forms.digest("A1")
    forms.apply(7, sign("A1", "E1", agreed))
    forms.apply(8, sign("A1", "E2", agreed))
    forms.apply(9, FormReopened("r", "s", "A1", "a typo in C2", "CH", "t"))
    assert forms.state("A1") == "open" and forms.closed("M1") is None
    assert {v.voided_by for v in forms.sheets["A1"].void} == {"reopen"}
    assert forms.digest("A1") == agreed
    forms.apply(10, sign("A1", "E1", agreed))
    assert forms.sheets["A1"].signatures["E1"].seq == 10
    assert not forms.apply(10, sign("A1", "E2", agreed)), "a sequence already folded"


def test_a_status_change_alters_missing_never_the_signatures() -> None:
    forms = folded(*A1_COMPLETE[:3])  # C1 judged by one judge only
    form = forms.forms["A1"]
    marks = forms.sheets["A1"].marks.values()
    assert AspectRef("C1", "J1") in missing(SKILL, form, marks, [C1, C2])
    forms.apply(4, sign("A1", "E1", forms.digest("A1")))
    non_competing = Competitor("C1", "C1", "KZ", "s", status="non_competing")
    assert missing(SKILL, form, marks, [non_competing]) == ()
    assert forms.state("A1") == "signed"


COMMANDS = st.one_of(
    st.builds(
        lambda c, a, e, v: mark(0, c, a, e, v),
        st.sampled_from(["C1", "C2"]),
        st.sampled_from(["M1", "J1", "B1"]),
        st.sampled_from(["E1", "E2"]),
        st.one_of(st.none(), st.sampled_from([0.0, 1.0, 2.0])),
    ),
    st.builds(
        lambda f, e, d: ("sign", f, e, d),
        st.sampled_from(["A1", "B"]),
        st.sampled_from(["E1", "E2"]),
        st.booleans(),
    ),
    st.builds(lambda f: FormReopened("r", "s", f, "why", "CH", "t"), st.sampled_from(["A1", "B"])),
)


def state_of(forms: SkillForms) -> object:
    return {
        form: (
            sorted(sheet.marks.values()),
            sorted(sheet.signatures.items()),
            sheet.void,
            forms.state(form),
            forms.digest(form),
            forms.signers(form),
        )
        for form, sheet in forms.sheets.items()
    }


@settings(max_examples=150, deadline=None)
@given(st.lists(COMMANDS, max_size=40), st.randoms(use_true_random=False))
def test_folded_live_with_reads_between_equals_folded_at_once(
    script: list[object], rng: random.Random
) -> None:
    """Live: each command as it comes, with pages reading digests and states between (the
    caches); replay: the same log folded at once. Sign-offs sign what the live fold showed."""
    live, log = SkillForms(SKILL), []
    for seq, step in enumerate(script, 1):
        command = step
        if isinstance(step, tuple):
            _, form, expert, current = step
            shown = live.digest(form) if current else "f" * 64
            command = sign(form, expert, shown)
        assert isinstance(command, MarkRecorded | FormSigned | FormReopened)
        live.apply(seq, command)
        log.append((seq, command))
        if rng.random() < 0.5:
            state_of(live)
    replayed = SkillForms(SKILL)
    for seq, command in log:
        replayed.apply(seq, command)
    assert state_of(live) == state_of(replayed)
