"""Run a podium service in the test's own event loop, on a free port, with real servers."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import uvicorn
from starlette.applications import Starlette

from services.broadcast.connection import ScreenProtocol
from tests.support.servers import free_port


@contextlib.asynccontextmanager
async def serving(app: Starlette) -> AsyncIterator[str]:
    """Serve the app until the block ends; yields its base URL."""
    port = free_port()
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_config=None,
        lifespan="on",
        ws_ping_interval=None,
        # The protocol `podium broadcast` runs with, so the feed's tests run on it too.
        ws=ScreenProtocol,
        # As `podium broadcast` runs: snapshot frames built once go to every screen as they are.
        ws_per_message_deflate=False,
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
            raise RuntimeError("service stopped during start")
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
