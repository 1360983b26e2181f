"""Runs one service under uvicorn with podium's logging and feed limits."""

from __future__ import annotations

import uvicorn

from shared import logs
from shared.settings import Settings


def serve(service: str, settings: Settings) -> None:
    logs.configure(service, settings.log_level)
    if service == "intake":
        from services.intake.app import build

        port = settings.intake_port
    elif service == "ranking":
        from services.ranking.app import build

        port = settings.ranking_port
    else:
        from services.broadcast.app import build

        port = settings.broadcast_port
    uvicorn.run(
        build(settings),
        host=settings.host,
        port=port,
        log_config=None,
        access_log=False,
        lifespan="on",
        # Server pings find screens that vanished without closing (a phone leaving Wi-Fi).
        ws_ping_interval=10.0,
        ws_ping_timeout=10.0,
        ws_max_size=64 * 1024,
        timeout_graceful_shutdown=5,
    )
