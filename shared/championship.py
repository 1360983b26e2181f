"""The championship: members, skills with their marking schemes, competitors and experts.

`load()` reads a JSON or TOML file and refuses it with every problem listed, each with
its path (`skills[0].criteria[1].aspects[3].max_mark`), so nothing starts on a bad file: first
what the types say (`schema_check`), then the rules beyond them (`championship_checks`).
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

import msgspec

from shared.championship_checks import MAX_NAME, rule_problems
from shared.schema_check import Problem, check_struct

Id = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9._-]{1,64}$")]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_NAME)]
AspectKind = Literal["measurement", "judgement"]
Role = Literal["expert", "chief", "organizer"]
PanelState = Literal["counted", "pending", "disputed"]

JUDGEMENT_SCORES = (0, 1, 2, 3)


class Member(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    code: Id
    name: Name


class Aspect(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """What experts mark. Besides the essentials, what a CIS marking scheme says of it
    (docs/championship-files.md); those fields have defaults, so a file without them still
    loads."""

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
    # `final` only once every marking form is signed (docs/rules.md, "Sign-off").
    final_needs_signoff: bool = True

    def panel_state(self, scores: Collection[int | float]) -> PanelState:
        """A judgement panel's standing scores: counted once enough judges agree closely
        enough, pending or disputed until then (docs/rules.md, "Marking"). Ranking's totals
        and the marking forms' missing list both ask here."""
        if len(scores) < self.judges_per_aspect:
            return "pending"
        if max(scores) - min(scores) > self.max_judge_spread:
            return "disputed"
        return "counted"


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
    # Private: never on a public surface (docs/privacy.md); they decide the public name.
    birth_date: date | None = None
    # Consent to publish the name, given by the competitor or, for a minor, a guardian.
    consent: bool | None = None


class Expert(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Anyone who signs in: an expert, a chief expert, or an organizer (no skill)."""

    id: Id
    name: Name
    member: Id
    role: Role
    skill: Id | None = None


class Privacy(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """How competitors' names are published (docs/privacy.md)."""

    public_names: Literal["full", "short", "initials"] = "full"
    minor_age: Annotated[int, msgspec.Meta(ge=0, le=30)] = 18


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
    # The first and last day; `starts` is the day a competitor's age is taken on.
    starts: date | None = None
    ends: date | None = None
    privacy: Privacy = Privacy()

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
    """Read, check and return a self-contained championship in a JSON or TOML file: what the
    services read. A file that points at the organisers' workbooks is read by
    `shared.organiser.load`, which the `podium` command uses (docs/championship-files.md)."""
    raw = read_raw(path)
    if points_at_files(raw):
        problem = Problem("$", "points at the organisers' files; `podium championship export` it")
        raise ChampionshipError(str(path), [problem])
    return parse(raw, source=str(path))


def read_raw(path: Path) -> Any:
    """The file's content as JSON or TOML (by its suffix), or every reason it has none."""
    try:
        raw_bytes = path.read_bytes()
    except OSError as error:
        raise ChampionshipError(str(path), [Problem("$", f"cannot read: {error}")]) from error
    try:
        return (
            tomllib.loads(raw_bytes.decode()) if path.suffix == ".toml" else json.loads(raw_bytes)
        )
    except (ValueError, UnicodeDecodeError) as error:
        raise ChampionshipError(str(path), [Problem("$", f"not valid: {error}")]) from error


def points_at_files(raw: Any) -> bool:
    """Whether a championship names workbooks or people files rather than holding them."""
    if not isinstance(raw, dict):
        return False
    skills = raw.get("skills")
    in_skills = isinstance(skills, list) and any(
        isinstance(s, dict) and ("marking_scheme" in s or "criteria_names" in s) for s in skills
    )
    return "people" in raw or in_skills


def parse(raw: Any, source: str = "championship") -> Championship:
    problems = problems_of(raw)
    if problems:
        raise ChampionshipError(source, problems)
    return msgspec.convert(raw, Championship)


def problems_of(raw: Any) -> list[Problem]:
    """Every problem of a championship in its self-contained form, each with its path."""
    problems = check_struct(raw, Championship, "")
    return problems or list(rule_problems(raw))
