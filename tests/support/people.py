"""People of the demo championship and their tokens, for tests."""

from __future__ import annotations

import functools

from shared.championship import Championship, Competitor, Expert
from shared.organiser import load
from shared.plumbing.settings import DEMO_CHAMPIONSHIP_JSON
from shared.plumbing.tokens import Identity, issue

SECRET = "test-secret-not-for-production-0123456789abcdef"


@functools.cache
def demo() -> Championship:
    """The demo championship; from its self-contained JSON, which a unit test holds equal to
    what its workbooks give, since reading workbooks takes a second. Read once per run: it is
    frozen all the way down, so the modules that share it cannot change it for each other."""
    return load(DEMO_CHAMPIONSHIP_JSON)


def token_of(expert: Expert, secret: str = SECRET, ttl_s: int = 3600) -> str:
    return issue(Identity(expert.id, expert.role), secret, ttl_s)


def auth(expert: Expert, secret: str = SECRET) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_of(expert, secret)}"}


def judge_for(championship: Championship, competitor: Competitor, n: int = 0) -> Expert:
    """The n-th expert of the competitor's skill who is not a compatriot."""
    judges = [
        e
        for e in championship.experts
        if e.skill == competitor.skill and e.member != competitor.member and e.role == "expert"
    ]
    return judges[n]


def compatriot_of(championship: Championship, competitor: Competitor) -> Expert:
    return next(
        e
        for e in championship.experts
        if e.skill == competitor.skill and e.member == competitor.member
    )
