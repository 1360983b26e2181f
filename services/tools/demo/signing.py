"""The demo's experts sign each marking form once its last planned mark is stored, so forms
move from open to signed during the demo day and the skill can be made final at the end
(docs/rules.md, "Sign-off")."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx

from shared.championship import Championship
from shared.signoff.forms import forms_of

log = logging.getLogger("podium.demo")

FOLD_LOOKS = 10
FOLD_WAIT_S = 0.2


class Closing:
    """Which planned mark is the last on its form, and who signs that form."""

    def __init__(self, championship: Championship, plan: list[tuple[str, str, str, str]]) -> None:
        """`plan`: (mark id, expert, competitor, aspect) in the order they are posted."""
        index = championship.index
        form_of = {
            (skill.id, aspect.id): form.id
            for skill in championship.skills
            for form in forms_of(skill)
            for aspect in form.aspects
        }
        last: dict[tuple[str, str], str] = {}
        self.signers: dict[tuple[str, str], set[str]] = {}
        for mark, expert, competitor, aspect in plan:
            skill = index.competitors[competitor].skill
            form = (skill, form_of[(skill, aspect)])
            last[form] = mark
            self.signers.setdefault(form, set()).add(expert)
        self.closes = {mark: form for form, mark in last.items()}


async def sign(
    client: httpx.AsyncClient, intake: str, tokens: dict[str, str], skill: str, form: str
) -> int:
    """Each signer reads the form and signs the digest it shows; returns how many signed."""
    path = f"{intake}/api/skills/{skill}/forms/{form}"
    signed = 0
    for person in sorted(tokens):
        headers = {"Authorization": f"Bearer {tokens[person]}"}
        view = await _complete(client, path, headers)
        if view is None or person not in {s["person"] for s in view["signers"]}:
            log.info("form not signed", extra={"skill": skill, "form": form, "by": person})
            continue
        answer = await client.post(
            f"{path}/signoff", json={"digest": view["digest"]}, headers=headers
        )
        signed += answer.status_code in (200, 201)
    log.info("form signed", extra={"skill": skill, "form": form, "signatures": signed})
    return signed


async def _complete(
    client: httpx.AsyncClient, path: str, headers: dict[str, str]
) -> dict[str, Any] | None:
    """The form once intake has folded its last mark (a moment after storing it), or None
    if something is still missing after a few looks."""
    for _ in range(FOLD_LOOKS):
        shown = await client.get(path, headers=headers)
        if shown.status_code == 200 and not shown.json()["missing"]:
            view: dict[str, Any] = shown.json()
            return view
        await asyncio.sleep(FOLD_WAIT_S)
    return None
