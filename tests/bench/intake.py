"""Intake throughput: accepted, durably stored marks per second from concurrent clients.

Every 201 is a mark that JetStream stored and fsynced (sync_interval always) before intake
answered. The marks are the demo day's, from every skill's experts, each with a new id.

The clients share the 2 cores with the stack, so they are kept lean: plain HTTP/1.1 on
keep-alive connections, one request in flight per connection, parsed no further than the
status and the length. aiohttp here took a fifth of the machine (0.3 ms of CPU a request).
"""

from __future__ import annotations

import asyncio
import itertools
import time
from typing import Any
from urllib.parse import urlsplit

import msgspec

from services.tools.demo.experts import day_plan
from shared.championship import Championship
from shared.plumbing.tokens import Identity, issue
from tests.bench.stats import summary

WARM_UP_S = 1.0


class Connection:
    """One keep-alive HTTP/1.1 connection that posts JSON and returns the status."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, url: str) -> Connection:
        parts = urlsplit(url)
        return cls(*await asyncio.open_connection(parts.hostname, parts.port))

    async def post(self, path: str, body: bytes, authorization: str) -> int:
        self.writer.write(
            f"POST {path} HTTP/1.1\r\nhost: bench\r\nauthorization: {authorization}\r\n"
            f"content-type: application/json\r\ncontent-length: {len(body)}\r\n\r\n".encode()
            + body
        )
        head = await self.reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        await self.reader.readexactly(length)
        return int(head[9:12])

    def close(self) -> None:
        self.writer.close()


async def hammer(
    championship: Championship, intake: str, secret: str, clients: int, seconds: float
) -> dict[str, Any]:
    plan = day_plan(championship, seed=2025)
    tokens = {
        e.id: f"Bearer {issue(Identity(e.id, e.role), secret, 3600)}" for e in championship.experts
    }
    numbers = itertools.count()
    run = f"{time.time_ns():x}"
    took: list[float] = []
    statuses: dict[int, int] = {}
    measuring = asyncio.Event()
    stop = asyncio.Event()

    async def client(connection: Connection) -> None:
        while not stop.is_set():
            n = next(numbers)
            planned = plan[n % len(plan)]
            body = msgspec.json.encode(
                {
                    "id": f"intake-{run}-{n}",
                    "competitor": planned.competitor,
                    "aspect": planned.aspect,
                    "value": planned.value,
                }
            )
            began = time.perf_counter()
            status = await connection.post("/api/marks", body, tokens[planned.expert])
            if measuring.is_set() and not stop.is_set():
                took.append((time.perf_counter() - began) * 1000)
                statuses[status] = statuses.get(status, 0) + 1

    connections = [await Connection.open(intake) for _ in range(clients)]
    try:
        workers = [asyncio.create_task(client(c)) for c in connections]
        await asyncio.sleep(WARM_UP_S)
        measuring.set()
        began = time.perf_counter()
        await asyncio.sleep(seconds)
        stop.set()
        elapsed = time.perf_counter() - began
        await asyncio.gather(*workers)
    finally:
        for connection in connections:
            connection.close()
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
