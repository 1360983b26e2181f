"""Intake throughput: accepted, durably stored marks per second from concurrent clients.

Every 201 is a mark that JetStream stored and fsynced (sync_interval always) before intake
answered. The marks are the demo day's, from every skill's experts, each with a new id.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from typing import Any

import aiohttp

from services.bench.stats import summary
from services.demo import day_plan
from shared.championship import Championship
from shared.tokens import Identity, issue

WARM_UP_S = 1.0


async def hammer(
    championship: Championship, intake: str, secret: str, clients: int, seconds: float
) -> dict[str, Any]:
    plan = day_plan(championship, seed=2025)
    tokens = {
        e.id: {"Authorization": f"Bearer {issue(Identity(e.id, e.role), secret, 3600)}"}
        for e in championship.experts
    }
    numbers = itertools.count()
    run = f"{time.time_ns():x}"
    took: list[float] = []
    statuses: dict[int, int] = {}
    measuring = asyncio.Event()
    stop = asyncio.Event()

    async def client(session: aiohttp.ClientSession) -> None:
        while not stop.is_set():
            n = next(numbers)
            planned = plan[n % len(plan)]
            body = {
                "id": f"intake-{run}-{n}",
                "competitor": planned.competitor,
                "aspect": planned.aspect,
                "value": planned.value,
            }
            began = time.perf_counter()
            async with session.post(
                f"{intake}/api/marks", json=body, headers=tokens[planned.expert]
            ) as answer:
                await answer.read()
            if measuring.is_set() and not stop.is_set():
                took.append((time.perf_counter() - began) * 1000)
                statuses[answer.status] = statuses.get(answer.status, 0) + 1

    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(connector=connector) as session:
        workers = [asyncio.create_task(client(session)) for _ in range(clients)]
        await asyncio.sleep(WARM_UP_S)
        measuring.set()
        began = time.perf_counter()
        await asyncio.sleep(seconds)
        stop.set()
        elapsed = time.perf_counter() - began
        await asyncio.gather(*workers)
    stored = statuses.get(201, 0)
    return {
        "clients": clients,
        "seconds": round(elapsed, 2),
        "stored": stored,
        "stored_per_second": int(stored / elapsed),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        **summary(took),
        "target_stored_per_second": 3000,
    }
