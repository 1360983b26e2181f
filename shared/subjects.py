"""NATS names. No subject string appears inline anywhere else."""

COMMANDS_STREAM = "PODIUM_COMMANDS"
COMMANDS_ALL = "podium.commands.>"
STANDINGS_ALL = "podium.standings.*"
MEDALS = "podium.medals"
TICKER = "podium.ticker"


CONTROLS_ALL = "podium.commands.*.control"

# The venue crew's commands (screens, ceremony). `~` is never in a skill id, so no skill's
# filter (`commands(skill)`) takes them, while the log (`COMMANDS_ALL`) keeps them.
CREW_ALL = "podium.commands.~crew.>"
CEREMONY = "podium.commands.~crew.ceremony"


def screen(name: str) -> str:
    """Assignments of one named screen (names never hold '.')."""
    return f"podium.commands.~crew.screen.{name}"


def commands(skill: str) -> str:
    """Every accepted command of one skill: ranking partitions on this filter."""
    return f"podium.commands.{skill}.>"


def mark(skill: str, mark_id: str) -> str:
    """One subject per mark id: the stream itself remembers every id it ever stored.

    Ids may hold '.', which separates subject tokens; '~' never occurs in an id, so
    writing '.' as '~' keeps the subject unique to the id.
    """
    return f"podium.commands.{skill}.mark.{mark_id.replace('.', '~')}"


def is_mark(subject: str) -> bool:
    """Whether a commands subject is a mark's own (as `mark` makes), not a skill's controls."""
    parts = subject.split(".", 4)
    return len(parts) == 5 and parts[:2] == ["podium", "commands"] and parts[3] == "mark"


def control(skill: str) -> str:
    """Locks, visibility and reveal steps of one skill."""
    return f"podium.commands.{skill}.control"


MARKS_ALL = "podium.commands.*.mark.>"
FORMS_ALL = "podium.commands.*.form"


def form(skill: str) -> str:
    """Sign-offs and reopenings of one skill's marking forms."""
    return f"podium.commands.{skill}.form"


def forms_filters(skills: tuple[str, ...] | None) -> list[str]:
    """What folding the forms of these skills (None: every skill) reads: marks and form
    commands."""
    if skills is None:
        return [MARKS_ALL, FORMS_ALL]
    return [item for skill in skills for item in (mark(skill, ">"), form(skill))]


# Where an organizer's revocation goes: not a skill id (`~` is not allowed in one).
CHAMPIONSHIP_WIDE = "~championship"
REVOCATIONS_ALL = "podium.commands.*.revocation"


def revocation(skill: str) -> str:
    """Revoked sign-ins of a skill's people ("" for organizers, who have no skill), so the
    skill's audit lists them."""
    return f"podium.commands.{skill or CHAMPIONSHIP_WIDE}.revocation"


def standings(skill: str) -> str:
    """Core NATS subject of a skill's standings snapshots."""
    return f"podium.standings.{skill}"


# A skill as a channel parameter, for the AsyncAPI document: `commands(SKILL_PARAMETER)`.
SKILL_PARAMETER = "{skill}"

REBUILD = "podium.ranking.rebuild"
"""Core NATS: `podium rebuild` asks every ranking replica to replay the log."""
