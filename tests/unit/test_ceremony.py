"""The ceremony's script and what the hall sees at each step: from the jury's standings, one
step at a time, ties together, nothing of a later step."""

from __future__ import annotations

import msgspec

from shared import ceremony
from shared.ceremony import Ceremony, Step
from shared.events import (
    CeremonyScripted,
    CeremonyStepped,
    Medal,
    MedalTable,
    MemberMedals,
    Standings,
    StandingsRow,
)
from shared.public.view import public_championship
from tests.support.people import demo

CHAMPIONSHIP = demo()
PUBLIC = public_championship(CHAMPIONSHIP)
SKILL, OTHER = CHAMPIONSHIP.skills[:2]
PEOPLE = CHAMPIONSHIP.index.competitors_of(SKILL.id)


def row(at: int, rank: int, total: float, scale: int, medal: Medal | None) -> StandingsRow:
    person = PEOPLE[at]
    return StandingsRow(
        rank=rank,
        competitor=person.id,
        name=person.name,
        member=person.member,
        progress=1.0,
        total=total,
        scale=scale,
        medal=medal,
    )


# Two golds tied, so no silver; the next is bronze; a Medallion; one without a medal.
ROWS = (
    row(3, 1, 90.0, 760, "gold"),
    row(1, 1, 90.0, 760, "gold"),
    row(2, 3, 85.0, 720, "bronze"),
    row(0, 4, 80.0, 705, "excellence"),
    row(4, 5, 50.0, 600, None),
)
STANDINGS = {
    SKILL.id: Standings(
        skill=SKILL.id,
        version=9,
        epoch="e",
        visibility="frozen",
        provisional=True,
        updated_at="2025-10-09T10:00:00.000Z",
        progress=1.0,
        rows=ROWS,
    )
}
MEDALS = MedalTable(
    provisional=True,
    table=(MemberMedals(PEOPLE[3].member, "m", 1, 0, 0, 0, 4),),
    best_of_nation={PEOPLE[3].member: (PEOPLE[3].id,)},
    best_overall=(PEOPLE[1].id, PEOPLE[3].id),
)


def at(step: int, medallions: bool = True) -> ceremony.CeremonyView:
    script = Ceremony(skills=(SKILL.id,), medallions=medallions, step=step)
    return ceremony.view(script, PUBLIC, STANDINGS, MEDALS)


def names(view: ceremony.CeremonyView) -> list[str]:
    return [c.competitor for c in view.called]


def test_the_default_script_is_every_skill_in_championship_order_without_medallions() -> None:
    steps = ceremony.script(Ceremony(), CHAMPIONSHIP)
    per_skill = ["call_up", "bronze", "silver", "gold"]
    expected = [Step(kind, skill.id) for skill in CHAMPIONSHIP.skills for kind in per_skill]  # type: ignore[arg-type]
    closing = [Step("medal_table"), Step("best_of_nation"), Step("best_overall")]
    assert list(steps) == expected + closing
    with_medallions = ceremony.script(Ceremony(skills=(OTHER.id,), medallions=True), CHAMPIONSHIP)
    assert [s.kind for s in with_medallions[:5]] == [
        "call_up", "medallions", "bronze", "silver", "gold",
    ]  # fmt: skip


def test_each_step_shows_its_own_people_and_nothing_of_the_others() -> None:
    gold = sorted([PEOPLE[1], PEOPLE[3]], key=lambda c: c.name)
    call_up = sorted([PEOPLE[1], PEOPLE[2], PEOPLE[3]], key=lambda c: ceremony._letters(c.name))
    assert at(0).current is None and at(0).called == ()
    assert names(at(1)) == [c.id for c in call_up]
    assert names(at(2)) == [PEOPLE[0].id]
    assert names(at(3)) == [PEOPLE[2].id]
    assert names(at(4)) == []  # two golds: no silver
    assert sorted(names(at(5))) == sorted(c.id for c in gold)  # tied, on one step
    assert at(6).table == MEDALS.table and at(6).called == ()
    assert [n.member for n in at(7).nations] == [PEOPLE[3].member]
    # The medal table's best overall, ties all named.
    assert sorted(names(at(8))) == sorted([PEOPLE[1].id, PEOPLE[3].id])
    for step in range(0, 9):
        shown = at(step)
        encoded = msgspec.json.encode(shown).decode()
        # Never a total, a rank or a scale: names, members and skills only.
        assert "90.0" not in encoded and "rank" not in encoded and "760" not in encoded
        later = {c for later in range(step + 1, 6) for c in names(at(later))} - set(names(shown))
        earlier = {c for before in range(0, step + 1) for c in names(at(before))}
        assert not any(person in encoded for person in later - earlier), step


def test_past_the_last_step_the_view_stays_on_it_and_a_new_script_starts_over() -> None:
    steps = len(ceremony.script(Ceremony(skills=(SKILL.id,), medallions=True), CHAMPIONSHIP))
    assert at(steps + 3).step == steps
    state = ceremony.apply(Ceremony(), CeremonyStepped("a", 4, "O", "t"))
    assert state.step == 4
    state = ceremony.apply(state, CeremonyScripted("b", (OTHER.id,), True, "O", "t"))
    assert state == Ceremony(skills=(OTHER.id,), medallions=True, step=0)


def test_alphabetical_order_reads_letters_without_their_accents() -> None:
    called = [
        ceremony.Called("3", "Şahin", "TR", SKILL.id),
        ceremony.Called("1", "Zeynep", "TR", SKILL.id),
        ceremony.Called("2", "Ahmet", "TR", SKILL.id),
        ceremony.Called("4", "Айгерім", "KZ", SKILL.id),
        ceremony.Called("5", "Әлия", "KZ", SKILL.id),
    ]
    assert [c.name for c in ceremony.alphabetical(called)][:3] == ["Ahmet", "Şahin", "Zeynep"]
