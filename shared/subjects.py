"""NATS names. No subject string appears inline anywhere else."""

COMMANDS_STREAM = "PODIUM_COMMANDS"
COMMANDS_ALL = "podium.commands.>"
STANDINGS_ALL = "podium.standings.*"
MEDALS = "podium.medals"


def commands(skill: str) -> str:
    """Every accepted command of one skill: ranking partitions on this subject."""
    return f"podium.commands.{skill}"


def standings(skill: str) -> str:
    """Core NATS subject of a skill's standings snapshots."""
    return f"podium.standings.{skill}"


def skill_of(subject: str) -> str:
    """The skill a commands or standings subject belongs to."""
    return subject.rsplit(".", 1)[-1]
