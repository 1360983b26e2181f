"""Redis key names. Each skill's keys share a hash tag `{skill}` so they stay in one slot."""


def marks(skill: str) -> str:
    """Hash of the marks that stand, one field each as `shared.marks_hash` writes and reads them."""
    return f"podium:{{{skill}}}:marks"


def applied(skill: str) -> str:
    """The last stream sequence applied to this skill's marks."""
    return f"podium:{{{skill}}}:applied"


def epoch(skill: str) -> str:
    """Changes whenever the skill's state is rebuilt; its absence means the state was lost."""
    return f"podium:{{{skill}}}:epoch"


def standings(skill: str) -> str:
    """Hash with the latest snapshot: `version` and `data` (a StandingsPublished in JSON)."""
    return f"podium:{{{skill}}}:standings"


def control(skill: str) -> str:
    """Hash with `state`: the skill's locks, visibility and reveal (a shared.control.Control)."""
    return f"podium:{{{skill}}}:control"


MEDALS = "podium:medals"
"""Hash with the latest medal table: `version` and `data` (a MedalsPublished in JSON)."""

MEDALS_VERSION = "podium:medals:version"
"""Counter behind the medal table's version: it only grows, across replicas and rebuilds."""

TICKER = "podium:ticker"
"""List of the most recent accepted marks (TickerItem JSON), newest first."""

TICKER_VERSION = "podium:ticker:version"
"""Counter behind the ticker's version: it only grows."""

TICKER_LATEST = "podium:ticker:latest"
"""Hash with the latest ticker snapshot: `version` and `data` (a TickerPublished in JSON)."""

PASSED = "podium:passed"
"""The last stream sequence of a command that changes no skill (the venue crew's) that ranking
handled: with each skill's `applied`, how far Redis has followed the log."""


def sessions(skill: str | None) -> str:
    """Hash of the tokens intake has seen of a skill's people (organizers' have no skill):
    `jti` -> the token's session (services.intake.sessions.Session in JSON)."""
    return f"podium:{{{skill}}}:sessions" if skill else "podium:organizers:sessions"
