"""Runs one service under uvicorn with podium's logging and feed limits."""

from __future__ import annotations

import asyncio
import gc

import uvicorn

from shared.plumbing import logs
from shared.plumbing.settings import Settings


def serve(service: str, settings: Settings) -> None:
    logs.configure(service, settings.log_level)
    ws: type[asyncio.Protocol] | str = "auto"
    if service == "intake":
        from services.intake.app import build

        port = settings.intake_port
    elif service == "ranking":
        from services.ranking.app import build

        port = settings.ranking_port
    else:
        from services.broadcast.app import build
        from services.broadcast.connection import ScreenProtocol

        port = settings.broadcast_port
        # Thousands of screens, each connected for hours: uvicorn's protocol, keeping less.
        ws = ScreenProtocol
    app = build(settings)
    # What the service loaded to start (the championship, the libraries) lives as long as it
    # does: out of the collector's sight, a full collection no longer walks it (75 ms here,
    # in the middle of some mark's way to the screens).
    gc.collect()
    gc.freeze()
    uvicorn.run(
        app,
        host=settings.host,
        port=port,
        log_config=None,
        access_log=False,
        lifespan="on",
        ws=ws,
        # Server pings find screens that vanished without closing (a phone leaving Wi-Fi).
        ws_ping_interval=10.0,
        ws_ping_timeout=10.0,
        ws_max_size=64 * 1024,
        # Every snapshot frame is encoded once for all screens; per-message deflate would
        # compress it again for each screen (CPU per screen, and ~300 KiB of zlib state each).
        ws_per_message_deflate=False,
        # uvloop and httptools (dependencies): the feed's fan-out is mostly event-loop work,
        # and intake's requests spend less in parsing HTTP.
        loop="uvloop",
        http="httptools",
        timeout_graceful_shutdown=5,
        # Behind a proxy the client's address comes from X-Forwarded-For, if the proxy is
        # trusted: the per-address limits must see the screens, not the proxy.
        proxy_headers=True,
        forwarded_allow_ips=settings.trusted_proxies,
    )
