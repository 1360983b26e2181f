"""Run a podium service in the test's own event loop, on a free port, with real servers."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import uvicorn
from starlette.applications import Starlette

from services.broadcast.connection import ScreenProtocol
from tests.support.eventually import eventually
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
    async with running(config):
        yield f"http://127.0.0.1:{port}"


@contextlib.asynccontextmanager
async def running(config: uvicorn.Config) -> AsyncIterator[None]:
    """uvicorn serving `config` until the block ends, from the moment it has started."""
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())

    async def started() -> bool:
        if task.done():
            task.result()
            raise RuntimeError("uvicorn stopped during start")
        return server.started

    await eventually(started, within=60, every=0.02, what="uvicorn started")
    try:
        yield
    finally:
        server.should_exit = True
        await task
