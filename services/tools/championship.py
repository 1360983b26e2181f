"""`podium championship check` and `export`: what a championship holds, in a summary an
organiser can read against their own files, or as one self-contained JSON file."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import msgspec

from shared.championship import Championship, Criterion, Skill
from shared.public.names import age_on, hidden

ROLES = ("competitor", "expert", "chief", "organizer")


def self_contained(championship: Championship) -> dict[str, Any]:
    """The championship as a file of docs/championship-files.md writes it: fields at their
    default left out, so a file without sub-criteria or descriptors comes back as it was written."""
    found = _without_defaults(championship)
    assert isinstance(found, dict)
    return found


def _without_defaults(value: Any) -> Any:
    if isinstance(value, msgspec.Struct):
        found = {}
        for field in msgspec.structs.fields(value):
            item = getattr(value, field.name)
            if not field.required and item == _default(field):
                continue
            found[field.encode_name] = _without_defaults(item)
        return found
    if isinstance(value, tuple | list):
        return [_without_defaults(item) for item in value]
    return msgspec.to_builtins(value)


def _default(field: msgspec.structs.FieldInfo) -> Any:
    if field.default_factory is not msgspec.NODEFAULT:
        return field.default_factory()
    return field.default


def encoded(championship: Championship) -> bytes:
    return msgspec.json.format(msgspec.json.encode(self_contained(championship)), indent=1) + b"\n"


def summary(championship: Championship) -> str:
    lines = [
        f"{championship.name} ({championship.id})"
        + "".join(f" · {part}" for part in (championship.venue, championship.timezone) if part),
        f"languages: {', '.join(championship.languages)}",
        "",
    ]
    aspects = [a for s in championship.skills for _, a in s.aspects]
    lines.append(
        f"{_n(len(championship.skills), 'skill')}, {_n(len(aspects), 'aspect')} ({_kinds(aspects)})"
    )
    for skill in championship.skills:
        lines += ["", *_skill(championship, skill)]
    lines += ["", *_people(championship), *_privacy(championship, date.today())]
    return "\n".join(lines) + "\n"


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _kinds(aspects: list[Any]) -> str:
    kinds = Counter(a.kind for a in aspects)
    return f"{kinds['measurement']} measurement, {kinds['judgement']} judgement"


def _skill(championship: Championship, skill: Skill) -> list[str]:
    competitors = championship.index.competitors_of(skill.id)
    experts = [e for e in championship.experts if e.skill == skill.id and e.role == "expert"]
    chief = ", ".join(
        f"{e.name} ({e.member})"
        for e in championship.experts
        if e.skill == skill.id and e.role == "chief"
    )
    aspects = [a for _, a in skill.aspects]
    lines = [
        f"{skill.name} ({skill.id}): {_n(len(competitors), 'competitor')}, "
        f"{_n(len(experts), 'expert')}, chief expert {chief or 'none'}",
    ]
    for criterion in skill.criteria:
        lines += _criterion(criterion)
    total = sum(a.max_mark for a in aspects)
    lines.append(f"  total {total:.2f} · {_n(len(aspects), 'aspect')}: {_kinds(aspects)}")
    days = Counter(a.day for a in aspects if a.day)
    if days:
        shown = ", ".join(f"{day} ({_n(n, 'aspect')})" for day, n in sorted(days.items()))
        lines.append(f"  days of marking: {shown}")
    return lines


def _criterion(criterion: Criterion) -> list[str]:
    marks = sum(a.max_mark for a in criterion.aspects)
    lines = [f"  {criterion.id:<4} {criterion.name:<52} {marks:>7.2f}"]
    for sub in criterion.sub_criteria:
        aspects = [a for a in criterion.aspects if a.sub_criterion == sub.id]
        marks = sum(a.max_mark for a in aspects)
        kinds = Counter(a.kind for a in aspects)
        shape = f"{kinds['measurement']} M, {kinds['judgement']} J"
        days = ", ".join(sorted({a.day for a in aspects if a.day}))
        lines.append(
            f"    {sub.id:<6} {sub.name:<48} {marks:>7.2f}  {shape}"
            + (f"  day {days}" if days else "")
        )
    if not criterion.sub_criteria:
        lines.append(
            f"    {_n(len(criterion.aspects), 'aspect')}: {_kinds(list(criterion.aspects))}"
        )
    return lines


def _people(championship: Championship) -> list[str]:
    """People by member and role, with the totals of each role."""
    count: Counter[tuple[str, str]] = Counter()
    for competitor in championship.competitors:
        count[(competitor.member, "competitor")] += 1
    for expert in championship.experts:
        count[(expert.member, expert.role)] += 1
    header = f"  {'member':<24}" + "".join(f"{role + 's':>13}" for role in ROLES)
    lines = ["people by member and role:", header]
    for member in championship.members:
        label = f"{member.code} {member.name}"
        lines.append(
            f"  {label:<24}" + "".join(f"{count[(member.code, role)]:>13}" for role in ROLES)
        )
    totals = "".join(f"{sum(n for (_, r), n in count.items() if r == role):>13}" for role in ROLES)
    lines.append(f"  {'all':<24}{totals}")
    others = Counter(c.status for c in championship.competitors if c.status != "competing")
    if others:
        shown = ", ".join(f"{n} {status}" for status, n in sorted(others.items()))
        lines.append(f"  competitors not competing: {shown}")
    teams = sum(1 for c in championship.competitors if c.team)
    if teams:
        lines.append(f"  teams among the competitors: {teams}")
    return lines


def _privacy(championship: Championship, today: date) -> list[str]:
    """Whose names the public will not see, so an organiser can check the consents recorded
    against the forms on paper (docs/privacy.md)."""
    privacy = championship.privacy
    on = championship.starts or today
    people = championship.competitors
    minors = [c for c in people if c.birth_date and age_on(c.birth_date, on) < privacy.minor_age]
    withheld = [c for c in people if hidden(c.consent, c.birth_date, privacy.minor_age, on)]
    refused = sum(1 for c in withheld if c.consent is False)
    undated = sum(1 for c in people if c.birth_date is None)
    return [
        f"  names in public: {privacy.public_names}, ages on {on.isoformat()}"
        + ("" if championship.starts else " (no starts: the day it is loaded)"),
        f"  minors: {len(minors)}; shown by initials only: {len(withheld)} "
        f"({len(withheld) - refused} minors without consent, {refused} refused); "
        f"without a birth date: {undated}",
    ]
