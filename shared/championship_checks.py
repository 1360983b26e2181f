"""The championship's rules that its types alone cannot say: ids unique, references to members
and skills that exist, each skill's marks totalling 100, sub-criteria that fit their criteria,
teams and roles that make sense. Checked on the raw file, after its types, so every problem is
reported at once with its path."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from shared.schema_check import Problem

# The longest name in a championship: of a person, a team member, a skill, a criterion.
MAX_NAME = 200
MAX_MARKS_TOTAL = 100.0
TOTAL_TOLERANCE = 0.001


def _duplicates(ids: Iterable[str]) -> set[str]:
    return {key for key, count in Counter(ids).items() if count > 1}


def rule_problems(raw: dict[str, Any]) -> Iterator[Problem]:
    """What the types alone cannot say: uniqueness, references and the totals of 100."""
    yield from _unique(raw["members"], "members", "code")
    yield from _unique(raw["skills"], "skills", "id")
    yield from _unique(raw["competitors"], "competitors", "id")
    yield from _unique(raw["experts"], "experts", "id")
    members = {m["code"] for m in raw["members"]}
    skills = {s["id"] for s in raw["skills"]}
    for i, skill in enumerate(raw["skills"]):
        yield from _skill_problems(skill, f"skills[{i}]")
    for i, competitor in enumerate(raw["competitors"]):
        if competitor["member"] not in members:
            yield Problem(f"competitors[{i}].member", _unknown("member", competitor, members))
        if competitor["skill"] not in skills:
            yield Problem(f"competitors[{i}].skill", _unknown("skill", competitor, skills))
        yield from _team_problems(competitor.get("team", []), f"competitors[{i}].team")
    for i, expert in enumerate(raw["experts"]):
        yield from _expert_problems(expert, f"experts[{i}]", members, skills)
    yield from _date_problems(raw)


def _date_problems(raw: dict[str, Any]) -> Iterator[Problem]:
    """The championship's days in order, and nobody born after its first day: a typo there
    would make an adult a minor, or the other way round (docs/privacy.md)."""
    starts, ends = _day(raw.get("starts")), _day(raw.get("ends"))
    if starts and ends and ends < starts:
        yield Problem("ends", f"ends {ends} before it starts ({starts})")
    for i, competitor in enumerate(raw["competitors"]):
        born = _day(competitor.get("birth_date"))
        if born and born > (starts or date.today()):
            yield Problem(f"competitors[{i}].birth_date", f"born {born}, after the championship")


def _day(value: Any) -> date | None:
    """A date as the types let it through: TOML's own date, or JSON's ISO text."""
    return value if isinstance(value, date) or value is None else date.fromisoformat(value)


def _unknown(key: str, item: dict[str, Any], known: set[str]) -> str:
    """Names what there is to choose from: an organiser may have typed a name for an id."""
    return f"unknown {key} {item[key]!r} (one of {', '.join(sorted(known))})"


def _unique(items: list[dict[str, Any]], path: str, key: str) -> Iterator[Problem]:
    repeated = _duplicates(item[key] for item in items)
    for i, item in enumerate(items):
        if item[key] in repeated:
            yield Problem(f"{path}[{i}].{key}", f"duplicate {key} {item[key]!r}")


def _skill_problems(skill: dict[str, Any], path: str) -> Iterator[Problem]:
    yield from _unique(skill["criteria"], f"{path}.criteria", "id")
    aspect_ids = [a["id"] for c in skill["criteria"] for a in c["aspects"]]
    repeated = _duplicates(aspect_ids)
    total = 0.0
    for c, criterion in enumerate(skill["criteria"]):
        if not criterion["aspects"]:
            yield Problem(f"{path}.criteria[{c}].aspects", "a criterion needs at least one aspect")
        for a, aspect in enumerate(criterion["aspects"]):
            total += float(aspect["max_mark"])
            if aspect["id"] in repeated:
                yield Problem(
                    f"{path}.criteria[{c}].aspects[{a}].id",
                    f"duplicate aspect id {aspect['id']!r} in skill {skill['id']!r}",
                )
        yield from _sub_criteria_problems(criterion, f"{path}.criteria[{c}]")
    subs = [
        (f"{path}.criteria[{c}].sub_criteria[{s}].id", sub["id"])
        for c, criterion in enumerate(skill["criteria"])
        for s, sub in enumerate(criterion.get("sub_criteria", []))
    ]
    repeated = _duplicates(sub for _, sub in subs)
    criteria = {c["id"] for c in skill["criteria"]}
    for where, sub in subs:
        if sub in repeated:
            yield Problem(where, f"duplicate sub-criterion id {sub!r} in skill {skill['id']!r}")
        elif sub in criteria:
            # An unlock names either by its id alone.
            yield Problem(where, f"sub-criterion id {sub!r} is also a criterion's id")
    if abs(total - MAX_MARKS_TOTAL) > TOTAL_TOLERANCE:
        yield Problem(f"{path}.criteria", f"max_marks total {total:g}, must total 100")


def _team_problems(team: list[str], path: str) -> Iterator[Problem]:
    """A team is its members' names: each a name, and no name twice."""
    seen: set[str] = set()
    for j, name in enumerate(team):
        if not 1 <= len(name.strip()) <= MAX_NAME:
            yield Problem(f"{path}[{j}]", f"a team member's name is 1 to {MAX_NAME} characters")
        elif name.strip() in seen:
            yield Problem(f"{path}[{j}]", f"{name!r} is in the team twice")
        seen.add(name.strip())


def _sub_criteria_problems(criterion: dict[str, Any], path: str) -> Iterator[Problem]:
    """An aspect names a sub-criterion of its own criterion (all do, where it has any), and a
    judgement aspect's descriptors are those of scores 0 to 3."""
    subs = {s["id"] for s in criterion.get("sub_criteria", [])}
    for a, aspect in enumerate(criterion["aspects"]):
        where = f"{path}.aspects[{a}]"
        named = aspect.get("sub_criterion", "")
        if subs and named not in subs:
            known = ", ".join(sorted(subs))
            message = f"{named!r} is not a sub-criterion of {criterion['id']} ({known})"
            yield Problem(f"{where}.sub_criterion", message if named else f"one of {known}")
        elif named and not subs:
            yield Problem(f"{where}.sub_criterion", f"{criterion['id']} has no sub_criteria")
        descriptors = aspect.get("descriptors", [])
        if descriptors and (aspect["kind"] != "judgement" or len(descriptors) != 4):
            message = "a judgement aspect's descriptors: four, of scores 0, 1, 2 and 3"
            yield Problem(f"{where}.descriptors", message)


def _expert_problems(
    expert: dict[str, Any], path: str, members: set[str], skills: set[str]
) -> Iterator[Problem]:
    if expert["member"] not in members:
        yield Problem(f"{path}.member", _unknown("member", expert, members))
    skill = expert.get("skill")
    if expert["role"] == "organizer":
        if skill is not None:
            yield Problem(f"{path}.skill", "an organizer serves the whole championship: no skill")
    elif skill is None:
        article = "an" if expert["role"] == "expert" else "a"
        yield Problem(f"{path}.skill", f"{article} {expert['role']} needs a skill")
    elif skill not in skills:
        yield Problem(f"{path}.skill", _unknown("skill", expert, skills))
