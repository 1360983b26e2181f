"""The championship: members, skills with their marking schemes, competitors and experts.

`load()` reads a JSON or TOML file and refuses it with every problem listed, each with
its path (`skills[0].criteria[1].aspects[3].max_mark`), so nothing starts on a bad file.
"""

from __future__ import annotations

import json
import tomllib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

import msgspec

from shared import organiser_files
from shared.schema_check import Problem, check_struct

Id = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9._-]{1,64}$")]
MAX_NAME = 200
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_NAME)]
AspectKind = Literal["measurement", "judgement"]
Role = Literal["expert", "chief", "organizer"]

MAX_MARKS_TOTAL = 100.0
TOTAL_TOLERANCE = 0.001
JUDGEMENT_SCORES = (0, 1, 2, 3)


class Member(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    code: Id
    name: Name


class Aspect(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """What experts mark. Besides the essentials, what a CIS marking scheme says of it (SPEC
    section 10); those fields have defaults, so a file without them still loads."""

    id: Id
    kind: AspectKind
    max_mark: Annotated[float, msgspec.Meta(gt=0, le=100)]
    description: str = ""
    # The id of the sub-criterion of its criterion the aspect belongs to, if any.
    sub_criterion: str = ""
    # The CIS "Extra Aspect Description".
    extra_description: str = ""
    # Measurement: what earns the mark ("Requirement (Meas only)").
    requirement: str = ""
    wsos_section: str = ""
    # Day of marking as the scheme writes it ("C1", "C2", ...).
    day: str = ""
    # Judgement: what scores 0, 1, 2 and 3 mean, in that order (none, or all four).
    descriptors: tuple[str, ...] = ()


class SubCriterion(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A part of a criterion that CIS marks and signs off as one form (`A1` of criterion A)."""

    id: Id
    name: Name


class Criterion(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: Id
    name: Name
    aspects: tuple[Aspect, ...]
    sub_criteria: tuple[SubCriterion, ...] = ()


class MedalMinEntrants(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """How many `competing` or `withdrawn` competitors a skill needs for each medal to be
    awarded in it (docs/rules.md, "Too few entrants")."""

    gold: Annotated[int, msgspec.Meta(ge=0, le=1000)] = 1
    silver: Annotated[int, msgspec.Meta(ge=0, le=1000)] = 1
    bronze: Annotated[int, msgspec.Meta(ge=0, le=1000)] = 1


class Rules(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    judges_per_aspect: Annotated[int, msgspec.Meta(ge=1, le=20)] = 3
    max_judge_spread: Annotated[int, msgspec.Meta(ge=0, le=3)] = 1
    allow_compatriot_marking: bool = False
    scale_center: float = 700.0
    scale_spread: Annotated[float, msgspec.Meta(gt=0)] = 50.0
    excellence_threshold: float = 700.0
    medal_tie_band: Annotated[float, msgspec.Meta(ge=0)] = 0.0
    medal_min_entrants: MedalMinEntrants = MedalMinEntrants()


class Skill(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: Id
    name: Name
    criteria: tuple[Criterion, ...]
    rules: Rules = Rules()

    @property
    def aspects(self) -> Iterator[tuple[Criterion, Aspect]]:
        for criterion in self.criteria:
            for aspect in criterion.aspects:
                yield criterion, aspect


class Competitor(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: Id
    name: Name
    member: Id
    skill: Id
    status: Literal["competing", "absent", "withdrawn", "non_competing"] = "competing"
    team: tuple[str, ...] = ()


class Expert(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Anyone who signs in: an expert, a chief expert, or an organizer (no skill)."""

    id: Id
    name: Name
    member: Id
    role: Role
    skill: Id | None = None


class Championship(msgspec.Struct, frozen=True, forbid_unknown_fields=True, dict=True):
    id: Id
    name: Name
    members: tuple[Member, ...]
    skills: tuple[Skill, ...]
    competitors: tuple[Competitor, ...]
    experts: tuple[Expert, ...]
    venue: str = ""
    timezone: str = "UTC"
    languages: tuple[Annotated[str, msgspec.Meta(pattern=r"^[a-z]{2,3}$")], ...] = ("en",)

    @cached_property
    def index(self) -> ChampionshipIndex:
        return ChampionshipIndex.of(self)


@dataclass(frozen=True)
class ChampionshipIndex:
    """Look-ups by id, built once per championship."""

    members: dict[str, Member]
    skills: dict[str, Skill]
    competitors: dict[str, Competitor]
    experts: dict[str, Expert]
    # (skill id, aspect id) -> (criterion, aspect)
    aspects: dict[tuple[str, str], tuple[Criterion, Aspect]]

    @classmethod
    def of(cls, championship: Championship) -> ChampionshipIndex:
        return cls(
            members={m.code: m for m in championship.members},
            skills={s.id: s for s in championship.skills},
            competitors={c.id: c for c in championship.competitors},
            experts={e.id: e for e in championship.experts},
            aspects={
                (skill.id, aspect.id): (criterion, aspect)
                for skill in championship.skills
                for criterion, aspect in skill.aspects
            },
        )

    def competitors_of(self, skill: str) -> list[Competitor]:
        return sorted(
            (c for c in self.competitors.values() if c.skill == skill), key=lambda c: c.id
        )


class ChampionshipError(ValueError):
    """A championship file that breaks the rules; `problems` lists every one."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  {p.path}: {p.message}" for p in problems)
        super().__init__(f"{source}: {len(problems)} problem(s)\n{lines}")


def load(path: Path) -> Championship:
    """Read, check and return the championship in a JSON or TOML file, with the marking-scheme
    workbooks and the people file it points at, if it does (SPEC section 10)."""
    try:
        raw_bytes = path.read_bytes()
    except OSError as error:
        raise ChampionshipError(str(path), [Problem("$", f"cannot read: {error}")]) from error
    try:
        raw = tomllib.loads(raw_bytes.decode()) if path.suffix == ".toml" else json.loads(raw_bytes)
    except (ValueError, UnicodeDecodeError) as error:
        raise ChampionshipError(str(path), [Problem("$", f"not valid: {error}")]) from error
    if not organiser_files.points_at_files(raw):
        return parse(raw, source=str(path))
    expanded = organiser_files.expand(raw, path.parent)
    problems = expanded.in_order(expanded.problems + expanded.placed(problems_of(expanded.raw)))
    if problems:
        raise ChampionshipError(str(path), problems)
    return msgspec.convert(expanded.raw, Championship)


def parse(raw: Any, source: str = "championship") -> Championship:
    problems = problems_of(raw)
    if problems:
        raise ChampionshipError(source, problems)
    return msgspec.convert(raw, Championship)


def problems_of(raw: Any) -> list[Problem]:
    """Every problem of a championship in its self-contained form, each with its path."""
    problems = check_struct(raw, Championship, "")
    return problems or list(_rule_problems(raw))


def _duplicates(ids: Iterable[str]) -> set[str]:
    return {key for key, count in Counter(ids).items() if count > 1}


def _rule_problems(raw: dict[str, Any]) -> Iterator[Problem]:
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
