"""`podium demo` against intake and ranking on real NATS and Redis: the simulated experts sign
each form once it is complete, so every form ends signed and a skill can be made final."""

from __future__ import annotations

from pathlib import Path

from services.tools.demo.experts import Tablets, day_plan, play
from shared.plumbing.settings import Settings
from tests.support.eventually import eventually
from tests.support.people import SECRET
from tests.support.signing import SKILL, intakes, ranking, settings_for, standings, written


async def test_the_demo_signs_every_form_and_the_skill_can_be_made_final(
    settings: Settings, tmp_path: Path
) -> None:
    path, championship = written(tmp_path)
    settings = settings_for(settings, path)
    async with ranking(settings), intakes(settings, championship) as jury:
        plan = day_plan(championship, seed=7)
        tablets = Tablets(championship, SECRET, str(jury.a.base_url))
        assert await play(plan, tablets, rate=500, championship=championship) == 0
        forms = (await jury.b.get(f"/api/skills/{SKILL}/forms", headers=jury.person("CH"))).json()
        assert [(f["form"], f["state"]) for f in forms] == [("A1", "signed"), ("B", "signed")]

        async def all_signed() -> bool:
            board = await standings(settings)
            return board is not None and board.forms.signed == board.forms.total == 2

        await eventually(all_signed, what="the standings with every form signed")
        final = await jury.a.put(
            f"/api/skills/{SKILL}/visibility", json={"mode": "final"}, headers=jury.person("OR")
        )
        assert final.status_code == 201
        again = await play(plan, tablets, rate=500, championship=championship)
        assert again == 0, "a day played again finds its marks stored, and its forms signed"
