"""Resident memory: the whole idle stack, and broadcast's growth per connected screen."""

from __future__ import annotations

import time
from typing import Any

from tests.bench.latency import CHANNEL, OPEN_TIMEOUT_S, client_processes
from tests.bench.screens import Plan, Swarm
from tests.bench.servers import SERVICES, Endpoints, Processes, rss_kib

SETTLE_S = 2.0


def idle(started: Processes) -> dict[str, Any]:
    time.sleep(SETTLE_S)
    parts = {name: rss_kib(started.pid(name)) for name in ("nats", "redis", *SERVICES)}
    return {"parts_kib": parts, "total_mib": round(sum(parts.values()) / 1024, 1)}


def per_screen(started: Processes, stack: Endpoints, screens: int) -> dict[str, Any]:
    """Broadcast's resident memory before and with `screens` screens subscribed to a skill."""
    pid = started.pid("broadcast")
    url = stack.broadcast.replace("http://", "ws://") + "/ws"
    before = rss_kib(pid)
    swarm = Swarm(Plan(url, "feed", CHANNEL, screens), client_processes(screens))
    swarm.start()
    try:
        swarm.wait_open(OPEN_TIMEOUT_S)
        time.sleep(SETTLE_S)
        after = rss_kib(pid)
        swarm.results(-1, [])
    finally:
        swarm.stop()
    return {
        "screens": screens,
        "broadcast_rss_kib_before": before,
        "broadcast_rss_kib_with_screens": after,
        "kib_per_screen": round((after - before) / screens, 1),
        "target_kib_per_screen": 20,
    }
