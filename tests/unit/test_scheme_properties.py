"""Generated CIS marking schemes load to the same criteria, sub-criteria and totals that were
written, whatever their shape, and come back the same through the self-contained export."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.tools.championship import encoded
from shared.organiser import load
from tests.support.workbooks import (
    PEOPLE,
    PEOPLE_HEADER,
    Row,
    championship_toml,
    people_workbook,
    scheme_workbook,
    score,
)

# A scheme: criteria (letters) of sub-criteria of aspects, each aspect (judgement?, quarters).
Scheme = list[list[list[tuple[bool, int]]]]
QUARTERS = 400  # 100 marks, in the quarter marks schemes use


@st.composite
def schemes(draw: st.DrawFn) -> Scheme:
    """Marks in quarters that total exactly 100, spread over 1 to 4 criteria."""
    sizes = draw(
        st.lists(st.lists(st.integers(1, 3), min_size=1, max_size=3), min_size=1, max_size=4)
    )
    count = sum(sum(s) for s in sizes)
    weights = draw(st.lists(st.integers(1, 12), min_size=count, max_size=count))
    scale = QUARTERS // (sum(weights) + 1)
    marks = [w * scale for w in weights]
    marks[-1] += QUARTERS - sum(marks)
    kinds = draw(st.lists(st.booleans(), min_size=count, max_size=count))
    aspects = iter(zip(kinds, marks, strict=True))
    return [[[next(aspects) for _ in range(n)] for n in criterion] for criterion in sizes]


def rows_of(scheme: Scheme, as_text: bool) -> list[Row]:
    rows: list[Row] = []
    for c, criterion in enumerate(scheme):
        for s, sub in enumerate(criterion, 1):
            total = sum(q for _, q in sub) / 4
            rows.append([f"{'ABCD'[c]}{s}", f"Part {s}", None, None, None, None, None, None, total])
            for a, (judged, quarters) in enumerate(sub, 1):
                mark: float | str = str(quarters / 4) if as_text else quarters / 4
                day = f"C{1 + a % 3}"
                rows.append(
                    [
                        None,
                        None,
                        "J" if judged else "M",
                        f"Aspect {a}",
                        None,
                        None,
                        None if judged else "as specified",
                        a,
                        mark,
                        day,
                    ]
                )
                if judged:
                    rows += [score(n, f"score {n} of aspect {a}") for n in range(4)]
    return rows


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scheme=schemes(), as_text=st.booleans())
def test_generated_schemes_load_to_the_same_totals(scheme: Scheme, as_text: bool) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        scheme_workbook(folder / "schemes/web-tech.xlsx", rows_of(scheme, as_text))
        people_workbook(folder / "people.xlsx", PEOPLE, PEOPLE_HEADER)
        names = "".join(f'{"ABCD"[c]} = "Part {c}", ' for c in range(len(scheme)))
        toml = championship_toml().replace('A = "Design", B = "Back end"', names.rstrip(", "))
        (folder / "championship.toml").write_text(toml)
        championship = load(folder / "championship.toml")
        exported = folder / "exported.json"
        exported.write_bytes(encoded(championship))
        assert load(exported) == championship
    [skill] = championship.skills
    assert [c.id for c in skill.criteria] == ["ABCD"[c] for c in range(len(scheme))]
    for criterion, written in zip(skill.criteria, scheme, strict=True):
        assert (
            sum(a.max_mark for a in criterion.aspects) == sum(q for s in written for _, q in s) / 4
        )
        assert [s.id for s in criterion.sub_criteria] == [
            f"{criterion.id}{n}" for n in range(1, len(written) + 1)
        ]
        for sub, aspects in zip(criterion.sub_criteria, written, strict=True):
            mine = [a for a in criterion.aspects if a.sub_criterion == sub.id]
            assert [a.id for a in mine] == [f"{sub.id}.{n}" for n in range(1, len(aspects) + 1)]
            assert [(a.kind == "judgement", a.max_mark * 4) for a in mine] == aspects
            assert all(len(a.descriptors) == 4 for a in mine if a.kind == "judgement")
    assert sum(a.max_mark for _, a in skill.aspects) == 100
