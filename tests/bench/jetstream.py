"""The durable log's own ceiling: JetStream publishes a second with nothing of podium running.

One nats-py client keeps 32 publishes in flight, as intake's 32 clients do, on a stream of
its own, against a nats-server configured as `podium up` configures it (an fsync per stored
message) and, for comparison, without the fsync. And, with the fsync, one publisher
committing atomic batches of 32 one after another, as intake groups marks posted together
(services/intake/marks/grouping.py): JetStream stores such a batch with one fsync.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from pathlib import Path
from typing import Any

import nats
from nats.js.api import StreamConfig

from services.tools.stack.servers import binary, nats_conf
from tests.bench.servers import processes, wait_listening
from tests.support.servers import free_port

IN_FLIGHT = 32
BATCH = 32
WARM_UP_S = 1.0
BODY = b"x" * 300  # about a mark's size on the wire


def ceiling(root: Path, seconds: float) -> dict[str, Any]:
    return {
        "in_flight": IN_FLIGHT,
        "seconds": seconds,
        "fsync_each": _publishes_per_second(root / "fsync", seconds, fsync_each=True),
        "no_fsync": _publishes_per_second(root / "no-fsync", seconds, fsync_each=False),
        "batch": BATCH,
        "fsync_batches": _publishes_per_second(root / "batches", seconds, True, batch=BATCH),
    }


def _publishes_per_second(root: Path, seconds: float, fsync_each: bool, batch: int = 0) -> int:
    root.mkdir()
    port = free_port()
    with processes(root) as started:
        started.start("nats", [binary("nats-server"), "-c", str(nats_conf(root, port, fsync_each))])
        wait_listening(port, started.alive("nats"), "nats")
        return asyncio.run(_publish(f"nats://127.0.0.1:{port}", seconds, batch))


async def _publish(url: str, seconds: float, batch: int) -> int:
    connection = await nats.connect(url)
    js = connection.jetstream()
    await js.add_stream(StreamConfig(name="CEILING", subjects=["ceiling.>"], allow_atomic=True))
    stored = 0
    stop = asyncio.Event()

    async def publisher(lane: int) -> None:
        nonlocal stored
        n = 0
        while not stop.is_set():
            await js.publish(f"ceiling.{lane}", BODY, headers={"Nats-Msg-Id": f"{lane}-{n}"})
            n += 1
            stored += 1

    async def batches() -> None:
        """Atomic batches (ADR-50) one after another: core publishes, then a commit."""
        nonlocal stored
        n = 0
        while not stop.is_set():
            headers = {"Nats-Batch-Id": secrets.token_hex(12)}
            for i in range(1, batch + 1):
                headers |= {"Nats-Msg-Id": f"b-{n}", "Nats-Batch-Sequence": str(i)}
                n += 1
                if i < batch:
                    await connection.publish("ceiling.b", BODY, headers=headers)
            answer = await connection.request(
                "ceiling.b", BODY, timeout=10, headers=headers | {"Nats-Batch-Commit": "1"}
            )
            if b'"error"' in answer.data:
                raise RuntimeError(f"batch refused: {answer.data!r}")
            stored += batch

    lanes = (
        [asyncio.create_task(batches())]
        if batch
        else [asyncio.create_task(publisher(lane)) for lane in range(IN_FLIGHT)]
    )
    await asyncio.sleep(WARM_UP_S)
    before, began = stored, time.perf_counter()
    await asyncio.sleep(seconds)
    rate = (stored - before) / (time.perf_counter() - began)
    stop.set()
    await asyncio.gather(*lanes)
    await connection.close()
    return int(rate)
