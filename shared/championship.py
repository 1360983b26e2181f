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
    id: Id
    kind: AspectKind
    max_mark: Annotated[float, msgspec.Meta(gt=0, le=100)]
    description: str = ""


class Criterion(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: Id
    name: Name
    aspects: tuple[Aspect, ...]


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
    """Read, check and return the championship in a JSON or TOML file."""
    try:
        raw_bytes = path.read_bytes()
    except OSError as error:
        raise ChampionshipError(str(path), [Problem("$", f"cannot read: {error}")]) from error
    try:
        raw = tomllib.loads(raw_bytes.decode()) if path.suffix == ".toml" else json.loads(raw_bytes)
    except (ValueError, UnicodeDecodeError) as error:
        raise ChampionshipError(str(path), [Problem("$", f"not valid: {error}")]) from error
    return parse(raw, source=str(path))


def parse(raw: Any, source: str = "championship") -> Championship:
    problems = check_struct(raw, Championship, "")
    if not problems:
        problems = list(_rule_problems(raw))
    if problems:
        raise ChampionshipError(source, problems)
    return msgspec.convert(raw, Championship)


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
            yield Problem(f"competitors[{i}].member", f"unknown member {competitor['member']!r}")
        if competitor["skill"] not in skills:
            yield Problem(f"competitors[{i}].skill", f"unknown skill {competitor['skill']!r}")
        yield from _team_problems(competitor.get("team", []), f"competitors[{i}].team")
    for i, expert in enumerate(raw["experts"]):
        yield from _expert_problems(expert, f"experts[{i}]", members, skills)


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


def _expert_problems(
    expert: dict[str, Any], path: str, members: set[str], skills: set[str]
) -> Iterator[Problem]:
    if expert["member"] not in members:
        yield Problem(f"{path}.member", f"unknown member {expert['member']!r}")
    skill = expert.get("skill")
    if expert["role"] == "organizer":
        if skill is not None:
            yield Problem(f"{path}.skill", "an organizer serves the whole championship: omit skill")
    elif skill is None:
        yield Problem(f"{path}.skill", f"a {expert['role']} needs a skill")
    elif skill not in skills:
        yield Problem(f"{path}.skill", f"unknown skill {skill!r}")
