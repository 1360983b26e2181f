"""Servers shared by a whole test session made as good as new between tests: every JetStream
stream deleted (key-value buckets and object stores are streams too), every Redis key gone."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import nats
import redis


def reset_nats(url: str) -> None:
    """In a thread of its own: the calling fixture may sit under an event loop that is running
    (pytest-asyncio's), and asyncio.run refuses to nest in one."""
    with ThreadPoolExecutor(1, thread_name_prefix="reset-nats") as worker:
        worker.submit(asyncio.run, delete_streams(url)).result()


async def delete_streams(url: str) -> None:
    connection = await nats.connect(url, allow_reconnect=False)
    try:
        manager = connection.jsm()
        # A listing comes in pages: list again until none is left.
        while streams := await manager.streams_info():
            for stream in streams:
                await manager.delete_stream(stream.config.name or "")
    finally:
        await connection.close()


def reset_redis(url: str) -> None:
    with redis.Redis.from_url(url) as client:
        client.flushall()
