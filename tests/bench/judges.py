"""The chief's judgement analysis at its largest: a skill of 40 competitors, 15 judgement
aspects and 10 judges, every judge scoring every competitor (6,000 standing scores). The pure
table (shared.judges) in this process, and `GET /api/skills/{skill}/judges` from intake as its
own process, its scores written straight into ranking's marks hash in Redis."""

from __future__ import annotations

import asyncio
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from redis.typing import EncodableT

from shared.championship import Championship, parse
from shared.judges import judges
from shared.marks_hash import judgement_field, judgement_value
from shared.plumbing import keys
from shared.plumbing.settings import Settings
from shared.plumbing.tokens import Identity, issue
from tests.bench.servers import Processes, start_servers, wait_ready
from tests.bench.stats import summary
from tests.support.servers import free_port

SKILL = "judged"
MEMBERS = ("AZ", "HU", "KG", "KZ", "TR", "UZ", "RU", "MN")
# A judge kind to one member's competitors (one point up where it can), so the table is not
# all zeros.
KIND_JUDGE, FAVOURED = "E-1", "KZ"


def championship(competitors: int, aspects: int, judges: int) -> dict[str, Any]:
    """A skill of `competitors`, `aspects` judgement aspects (marks totalling 100) and
    `judges` experts, the chief not scoring, compatriot marking allowed."""
    whole, extra = divmod(100 * 100, aspects)
    marks = [(whole + (1 if n < extra else 0)) / 100 for n in range(aspects)]
    return {
        "id": "bench-judges",
        "name": "Judges benchmark",
        "members": [{"code": m, "name": m} for m in MEMBERS],
        "skills": [
            {
                "id": SKILL,
                "name": "Judged",
                "rules": {"allow_compatriot_marking": True},
                "criteria": [
                    {
                        "id": "A",
                        "name": "Judged work",
                        "aspects": [
                            {"id": f"A{n + 1}", "kind": "judgement", "max_mark": mark}
                            for n, mark in enumerate(marks)
                        ],
                    }
                ],
            }
        ],
        "competitors": [
            {"id": f"C-{n}", "name": f"C {n}", "member": MEMBERS[n % 8], "skill": SKILL}
            for n in range(competitors)
        ],
        "experts": [
            {"id": "CHIEF", "name": "Chief", "member": "AZ", "role": "chief", "skill": SKILL},
            *(
                {"id": f"E-{n}", "name": f"E {n}", "member": MEMBERS[n % 8], "role": "expert"}
                | {"skill": SKILL}
                for n in range(1, judges + 1)
            ),
        ],
    }


def scores(known: Championship, seed: int = 2025) -> dict[tuple[str, str], dict[str, int]]:
    draw = random.Random(seed)
    skill = known.index.skills[SKILL]
    found: dict[tuple[str, str], dict[str, int]] = {}
    for competitor in known.index.competitors_of(SKILL):
        for _, aspect in skill.aspects:
            merit = draw.randint(0, 3)
            panel = found.setdefault((competitor.id, aspect.id), {})
            for expert in known.experts:
                if expert.role != "expert":
                    continue
                # Fair judges differ by a point at most: one may see a little more.
                score = min(3, merit + draw.choice((0, 0, 0, 1)))
                if expert.id == KIND_JUDGE and competitor.member == FAVOURED:
                    score = min(3, score + 1)
                panel[expert.id] = score
    return found


def pure(known: Championship, given: dict[tuple[str, str], dict[str, int]], runs: int) -> Any:
    competitors = known.index.competitors_of(SKILL)
    took = []
    for _ in range(runs):
        start = time.perf_counter()
        table = judges(SKILL, competitors, known.experts, given)
        took.append((time.perf_counter() - start) * 1000)
    first = table.judges[0]
    return {**summary(took, 3), "most_distant": [first.expert, first.abs_deviation]}


async def fill(settings: Settings, given: dict[tuple[str, str], dict[str, int]]) -> None:
    """The scores as ranking stores them, without ranking: the endpoint alone is measured."""
    from shared.plumbing.connections import make_redis

    redis = make_redis(settings)
    fields: list[EncodableT] = []
    for (competitor, aspect), panel in given.items():
        for expert, score in panel.items():
            fields += [judgement_field(competitor, aspect, expert), judgement_value(score)]
    await redis.hset(keys.marks(SKILL), items=fields)
    await redis.set(keys.applied(SKILL), len(fields) // 2)
    await redis.aclose()


def served(started: Processes, settings: Settings, path: Path, requests: int) -> Any:
    port = free_port()
    env = {
        **os.environ,
        "PODIUM_NATS_URL": settings.nats_url,
        "PODIUM_REDIS_URL": settings.redis_url,
        "PODIUM_SECRET": settings.secret,
        "PODIUM_CHAMPIONSHIP": str(path),
        "PODIUM_HOST": "127.0.0.1",
        "PODIUM_INTAKE_PORT": str(port),
        "PODIUM_RATE_ADDRESS_PER_S": "0",
        "PODIUM_RATE_TOKEN_PER_S": "0",
    }
    started.start("intake", [sys.executable, "-m", "services", "intake"], env)
    base = f"http://127.0.0.1:{port}"
    wait_ready(f"{base}/readyz", started.running["intake"], "intake")
    headers = {"Authorization": f"Bearer {issue(Identity('CHIEF', 'chief'), settings.secret, 600)}"}
    with httpx.Client(base_url=base, headers=headers) as client:
        full, size, known = timed(client, {}, requests)
        # What the chief's panel asks every second while no score lands.
        unchanged, _, _ = timed(client, {"If-None-Match": known}, requests)
    return {
        "answer": {**summary(full, 2), "mean_ms": round(statistics.fmean(full), 2), "bytes": size},
        "unchanged_304": summary(unchanged, 2),
    }


def timed(
    client: httpx.Client, headers: dict[str, str], requests: int
) -> tuple[list[float], int, str]:
    """Milliseconds of each request after a few that warm intake and the connection; the
    last answer's size and ETag."""
    took = []
    for n in range(requests + 5):
        start = time.perf_counter()
        answer = client.get(f"/api/skills/{SKILL}/judges", headers=headers)
        elapsed = (time.perf_counter() - start) * 1000
        if answer.status_code != (304 if headers else 200):
            raise RuntimeError(f"intake answered {answer.status_code}: {answer.text}")
        if n >= 5:
            took.append(elapsed)
    return took, len(answer.content), answer.headers["etag"]


def bench_judges(
    root: Path, competitors: int = 40, aspects: int = 15, judges: int = 10, requests: int = 100
) -> dict[str, Any]:
    raw = championship(competitors, aspects, judges)
    path = root / "championship.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    known = parse(raw)
    given = scores(known)
    conditions = {"competitors": competitors, "aspects": aspects, "judges": judges}
    conditions["scores"] = sum(len(panel) for panel in given.values())
    started = Processes(root)
    try:
        settings = start_servers(started)
        asyncio.run(fill(settings, given))
        endpoint = served(started, settings, path, requests)
    finally:
        started.stop()
    return {**conditions, "pure_ms": pure(known, given, 50), "endpoint_ms": endpoint}
