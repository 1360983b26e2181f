"""A ranking killed between applying the last signature and acknowledging it counts the form
signed once it is back: the sign-off is folded from the log at the start, and the redelivered
command is passed over by its sequence."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from shared.championship import load
from shared.plumbing.settings import Settings
from shared.signoff.commands import FormSigned
from shared.signoff.fold import SkillForms
from tests.integration.test_ranking_crash import ready, start_ranking
from tests.support.eventually import eventually
from tests.support.log import append, mark
from tests.support.servers import free_port
from tests.support.signing import COMPETITORS, EXPERTS, SKILL, settings_for, standings, written

pytestmark = [pytest.mark.faults, pytest.mark.timeout(120)]


async def test_a_ranking_killed_after_the_last_signature_counts_the_form_signed(
    settings: Settings, tmp_path: Path
) -> None:
    path, _ = written(tmp_path)
    settings = settings_for(settings, path)
    skill = load(path).index.skills[SKILL]
    marks = [mark(f"j-{c}-{e}", c, "J1", e, 2, SKILL) for c in COMPETITORS for e in EXPERTS] + [
        mark(f"m-{c}", c, "M1", "E1", 5.0, SKILL) for c in COMPETITORS
    ]
    shown = SkillForms(skill)
    for seq, command in enumerate(marks, 1):
        shown.apply(seq, command)
    signoffs = [
        FormSigned(f"s-{e}", SKILL, "A1", shown.digest("A1"), e, "2026-12-06T10:00:00Z")
        for e in EXPERTS
    ]
    port = free_port()
    log = tmp_path / "ranking.log"
    doomed = start_ranking(settings, log, port, die_after=len(marks) + len(signoffs))
    await ready(port)
    await append(settings.nats_url, *marks, *signoffs)
    assert doomed.wait(20) == -signal.SIGKILL
    survivor = start_ranking(settings, log, port)
    try:

        async def signed() -> bool:
            board = await standings(settings)
            return board is not None and (board.forms.signed, board.forms.total) == (1, 2)

        await eventually(signed, within=30, what="A1 counted signed after the crash")
    finally:
        survivor.terminate()
        survivor.wait(10)
