"""`podium export results` names everyone in full, for the organisers; with `--public`, by
their public names, to publish: a minor without consent by initials, a team's members too
(docs/privacy.md). Against real NATS and Redis, from the standings a real ranking stored."""

from __future__ import annotations

import json

import pytest

from shared.plumbing.settings import Settings
from shared.public.view import public_championship
from tests.integration import test_export
from tests.integration.test_export import podium_export, wait_for_versions
from tests.support.people import demo

CHAMPIONSHIP = demo()
PUBLIC = public_championship(CHAMPIONSHIP).index.competitors
HIDDEN = [c for c in CHAMPIONSHIP.competitors if PUBLIC[c.id].name != c.name]

env = test_export.env  # the PODIUM_* variables `podium export` reads


async def test_full_names_for_the_organisers_public_names_with_public(
    env: Settings, ranking: None, capsys: pytest.CaptureFixture[str]
) -> None:
    await wait_for_versions(env, {s.id: 0 for s in CHAMPIONSHIP.skills})
    capsys.readouterr()
    assert await podium_export("results", "--format", "json") == 0
    full = {r["competitor"]: r["competitor_name"] for r in json.loads(capsys.readouterr().out)}
    assert await podium_export("results", "--format", "json", "--public") == 0
    printed = capsys.readouterr().out
    public = {r["competitor"]: r["competitor_name"] for r in json.loads(printed)}
    assert full == {c.id: c.name for c in CHAMPIONSHIP.competitors}
    assert public == {c.id: PUBLIC[c.id].name for c in CHAMPIONSHIP.competitors}
    assert HIDDEN and not any(c.name in printed for c in HIDDEN)
    assert "birth_date" not in printed and "consent" not in printed
    assert await podium_export("results", "--layout", "cis", "--public") == 0
    ceremony = capsys.readouterr().out
    assert not any(word in ceremony for c in HIDDEN for word in c.name.split())
