"""A small championship of two skills in three languages, with final standings written by
hand, for the results site's and the certificates' unit tests."""

from __future__ import annotations

from typing import Any

from shared.championship import Championship, parse
from shared.events import Standings, StandingsRow, Visibility

# A minor without consent: her name must never reach the site.
HIDDEN = "Айгерім Сейітқызы"
HIDDEN_INITIALS = "А. С."


def _skill(skill: str, name: str) -> dict[str, Any]:
    return {
        "id": skill,
        "name": name,
        "criteria": [
            {
                "id": "A",
                "name": "Design",
                "aspects": [{"id": "A1", "kind": "measurement", "max_mark": 40}],
            },
            {
                "id": "B",
                "name": "Build <fast>",
                "aspects": [{"id": "B1", "kind": "measurement", "max_mark": 60}],
            },
        ],
    }


def small() -> Championship:
    competitors = [
        ("KZ-1", "Айгерім Сейітқызы", "KZ", "robots", "2010-01-01", None),
        ("AZ-1", "Şəbnəm Əliyeva", "AZ", "robots", None, None),
        ("HU-1", "Gyöngyi Kőszegi", "HU", "robots", None, None),
        ("TR-1", "Çağrı Yılmaz", "TR", "robots", None, None),
        ("KZ-2", "Ерлан Нұрғалиұлы", "KZ", "cooking", None, None),
        ("AZ-2", "Rəşad Qasımov", "AZ", "cooking", None, None),
    ]
    return parse(
        {
            "id": "small-2025",
            "name": "Small Skills 2025",
            "venue": "Aktau, Kazakhstan",
            "languages": ["en", "kk", "ru"],
            "starts": "2025-10-08",
            "ends": "2025-10-11",
            "members": [
                {"code": c, "name": n}
                for c, n in [
                    ("KZ", "Kazakhstan"),
                    ("AZ", "Azerbaijan"),
                    ("HU", "Hungary"),
                    ("TR", "Türkiye"),
                ]
            ],
            "skills": [_skill("robots", "Mobile Robotics"), _skill("cooking", "Cooking")],
            "competitors": [
                {"id": i, "name": n, "member": m, "skill": s} | ({"birth_date": b} if b else {})
                for i, n, m, s, b, _ in competitors
            ],
            "experts": [{"id": "ORG", "name": "Organiser", "member": "KZ", "role": "organizer"}],
        }
    )


def row(
    rank: int | None,
    competitor: str,
    name: str,
    member: str,
    criteria: dict[str, float],
    **more: Any,
) -> StandingsRow:
    return StandingsRow(
        rank=rank,
        competitor=competitor,
        name=name,
        member=member,
        progress=1.0,
        total=round(sum(criteria.values()), 2),
        criteria=criteria,
        **more,
    )


ROBOTS = (
    row(1, "AZ-1", "Şəbnəm Əliyeva", "AZ", {"A": 38.0, "B": 50.5}, scale=760, medal="gold"),
    row(2, "KZ-1", HIDDEN, "KZ", {"A": 30.0, "B": 52.0}, scale=720, medal="silver"),
    row(3, "HU-1", "Gyöngyi Kőszegi", "HU", {"A": 20.0, "B": 40.0}, scale=680, medal="bronze"),
    row(
        None,
        "TR-1",
        "Çağrı Yılmaz",
        "TR",
        {"A": 35.0, "B": 10.0},
        scale=660,
        status="non_competing",
    ),
)


def standings(skill: str, rows: tuple[StandingsRow, ...], visibility: Visibility) -> Standings:
    return Standings(
        skill=skill,
        version=9,
        epoch="e",
        visibility=visibility,
        provisional=visibility != "final",
        updated_at="2025-10-11T16:00:00.000Z",
        progress=1.0,
        rows=rows,
    )


def stored() -> dict[str, Standings]:
    """Robotics final; cooking still live, with marks the site must not show."""
    cooking = (row(1, "KZ-2", "Ерлан Нұрғалиұлы", "KZ", {"A": 12.5, "B": 7.25}, scale=700),)
    return {
        "robots": standings("robots", ROBOTS, "final"),
        "cooking": standings("cooking", cooking, "live"),
    }
