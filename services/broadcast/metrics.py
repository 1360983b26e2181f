"""Broadcast's metrics: open feed connections, frames offered, connections turned away."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge


class Metrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry
        self.connections = Gauge(
            "podium_broadcast_connections", "Open feed connections", registry=registry
        )
        self.frames = Counter(
            "podium_broadcast_frames", "Snapshot frames offered to screens", registry=registry
        )
        self.turned_away = Counter(
            "podium_broadcast_turned_away",
            "Feed connections refused or closed, by reason",
            ["reason"],
            registry=registry,
        )
