"""The marking rules as intake applies them, without any server."""

from __future__ import annotations

import msgspec
import pytest

from services.intake.rules import MarkBody, Refusal, judge_mark, same_mark
from shared.championship import Championship, Rules
from shared.events import MarkRecorded
from tests.support.people import compatriot_of, demo, judge_for

CHAMPIONSHIP = demo()
COMPETITOR = CHAMPIONSHIP.competitors[0]
SKILL = CHAMPIONSHIP.index.skills[COMPETITOR.skill]
MEASURE = next(a for _, a in SKILL.aspects if a.kind == "measurement")
JUDGED = next(a for _, a in SKILL.aspects if a.kind == "judgement")
JUDGE = judge_for(CHAMPIONSHIP, COMPETITOR)


def body(
    value: float | None, aspect: str = MEASURE.id, competitor: str = COMPETITOR.id
) -> MarkBody:
    return MarkBody(id="m1", competitor=competitor, aspect=aspect, value=value)


def refusal(verdict: Refusal | MarkRecorded) -> tuple[int, str]:
    assert isinstance(verdict, Refusal)
    return verdict.status, verdict.title


def test_an_accepted_mark_names_skill_and_expert() -> None:
    verdict = judge_mark(body(MEASURE.max_mark), JUDGE, CHAMPIONSHIP, "t")
    assert verdict == MarkRecorded(
        "m1", SKILL.id, COMPETITOR.id, MEASURE.id, JUDGE.id, MEASURE.max_mark, "t"
    )


@pytest.mark.parametrize(
    ("mark", "expected"),
    [
        (body(-0.01), (422, "Bad value")),
        (body(MEASURE.max_mark + 0.01), (422, "Bad value")),
        (body(float("nan")), (422, "Bad value")),
        (body(float("inf")), (422, "Bad value")),
        (body(4, JUDGED.id), (422, "Bad value")),
        (body(1.5, JUDGED.id), (422, "Bad value")),
        (body(1, "Z9"), (404, "Unknown aspect")),
        (body(1, competitor="NOBODY"), (404, "Unknown competitor")),
    ],
)
def test_refusals(mark: MarkBody, expected: tuple[int, str]) -> None:
    assert refusal(judge_mark(mark, JUDGE, CHAMPIONSHIP, "t")) == expected


def test_judgement_scores_0_to_3_and_withdrawals_pass() -> None:
    for score in (0, 1, 2, 3, None):
        assert isinstance(
            judge_mark(body(score, JUDGED.id), JUDGE, CHAMPIONSHIP, "t"), MarkRecorded
        )


def test_people_who_may_not_mark() -> None:
    organizer = next(e for e in CHAMPIONSHIP.experts if e.role == "organizer")
    other = next(e for e in CHAMPIONSHIP.experts if e.skill not in (None, SKILL.id))
    compatriot = compatriot_of(CHAMPIONSHIP, COMPETITOR)
    assert refusal(judge_mark(body(1), organizer, CHAMPIONSHIP, "t")) == (
        403,
        "Organizers do not mark",
    )
    assert refusal(judge_mark(body(1), other, CHAMPIONSHIP, "t")) == (403, "Other skill")
    assert refusal(judge_mark(body(1), compatriot, CHAMPIONSHIP, "t")) == (403, "Compatriot")


def test_a_skill_may_allow_compatriot_marking() -> None:
    relaxed_skill = msgspec.structs.replace(SKILL, rules=Rules(allow_compatriot_marking=True))
    skills = tuple(relaxed_skill if s.id == SKILL.id else s for s in CHAMPIONSHIP.skills)
    relaxed: Championship = msgspec.structs.replace(CHAMPIONSHIP, skills=skills)
    compatriot = compatriot_of(relaxed, COMPETITOR)
    assert isinstance(judge_mark(body(1), compatriot, relaxed, "t"), MarkRecorded)


def test_a_retry_is_the_same_mark_whatever_its_time() -> None:
    first = judge_mark(body(1), JUDGE, CHAMPIONSHIP, "t1")
    retry = judge_mark(body(1), JUDGE, CHAMPIONSHIP, "t2")
    other = judge_mark(body(2), JUDGE, CHAMPIONSHIP, "t2")
    assert isinstance(first, MarkRecorded) and isinstance(retry, MarkRecorded)
    assert isinstance(other, MarkRecorded)
    assert same_mark(first, retry) and not same_mark(first, other)


def test_mark_ids_are_checked() -> None:
    decode = msgspec.json.Decoder(MarkBody)
    ok = b'{"id": "tab-3:17.a_b", "competitor": "c", "aspect": "a", "value": 1}'
    assert decode.decode(ok).id == "tab-3:17.a_b"
    for bad in ('"a b"', '""', '"' + "x" * 65 + '"', "7"):
        with pytest.raises(msgspec.ValidationError):
            decode.decode(f'{{"id": {bad}, "competitor": "c", "aspect": "a", "value": 1}}'.encode())
