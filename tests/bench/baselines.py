"""The two servers podium is compared with, each in a process of its own.

Both do what podium's path does at the end: an HTTP POST (the expert's mark) makes the server
send one frame, of podium's frame size, to every screen subscribed to the channel, and
answers with the frame's version as `seq`. A screen gets the current frame on subscribing.

bare      `websockets.broadcast` (the floor of this stack: no framework, no compression), with
          the POST read by a minimal HTTP/1.1 server on the same event loop
socketio  python-socketio's AsyncServer under uvicorn, as many Python teams would build it:
          a room per channel and `emit` to the room
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

from tests.bench.servers import raise_open_files


@dataclass(frozen=True)
class Baseline:
    kind: str  # "bare" or "socketio"
    ws_port: int
    http_port: int
    channel: str
    frame_bytes: int


def frame_data(channel: str, version: int, frame_bytes: int) -> dict[str, Any]:
    """A snapshot message shaped like podium's, padded to podium's frame size."""
    message: dict[str, Any] = {
        "type": "snapshot",
        "channel": channel,
        "version": version,
        "epoch": "",
        "data": {"pad": ""},
    }
    bare = len(json.dumps(message, separators=(",", ":")))
    message["data"]["pad"] = "x" * max(0, frame_bytes - bare)
    return message


def frame_text(channel: str, version: int, frame_bytes: int) -> str:
    return json.dumps(frame_data(channel, version, frame_bytes), separators=(",", ":"))


@dataclass
class Current:
    version: int
    text: str


async def bare(baseline: Baseline) -> None:
    from websockets.asyncio.server import ServerConnection, broadcast, serve

    screens: set[ServerConnection] = set()
    current = Current(0, frame_text(baseline.channel, 0, baseline.frame_bytes))

    async def screen(ws: ServerConnection) -> None:
        await ws.recv()  # the subscribe message
        screens.add(ws)
        try:
            await ws.send(current.text)
            await ws.wait_closed()
        finally:
            screens.discard(ws)

    async def trigger(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                await reader.readexactly(length)
                current.version += 1
                current.text = frame_text(baseline.channel, current.version, baseline.frame_bytes)
                broadcast(screens, current.text)
                body = json.dumps({"seq": current.version}).encode()
                writer.write(
                    b"HTTP/1.1 201 Created\r\ncontent-type: application/json\r\n"
                    b"content-length: %d\r\n\r\n%s" % (len(body), body)
                )
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    async with (
        # Keepalive as podium's (uvicorn pings every screen every 10 s), not websockets' 20 s:
        # the pings are part of a server's cost per screen, and the stacks are compared.
        serve(
            screen,
            "127.0.0.1",
            baseline.ws_port,
            compression=None,
            max_size=64 * 1024,
            ping_interval=10.0,
            ping_timeout=10.0,
        ),
        await asyncio.start_server(trigger, "127.0.0.1", baseline.http_port),
    ):
        await asyncio.get_running_loop().create_future()


def socketio_app(baseline: Baseline) -> Any:
    import socketio
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    sio = socketio.AsyncServer(async_mode="asgi")
    current: dict[str, Any] = frame_data(baseline.channel, 0, baseline.frame_bytes)

    @sio.on("subscribe")  # type: ignore[untyped-decorator]
    async def subscribe(sid: str, channel: str) -> None:
        await sio.enter_room(sid, channel)
        await sio.emit("snapshot", current, to=sid)

    async def mark(request: Request) -> JSONResponse:
        await request.body()
        nonlocal current
        version = int(current["version"]) + 1
        current = frame_data(baseline.channel, version, baseline.frame_bytes)
        await sio.emit("snapshot", current, room=baseline.channel)
        return JSONResponse({"seq": version}, 201)

    marks = Starlette(routes=[Route("/mark", mark, methods=["POST"])])
    return socketio.ASGIApp(sio, other_asgi_app=marks)


def serve_baseline(baseline: Baseline) -> None:
    """A baseline server process's entry point."""
    raise_open_files()
    if baseline.kind == "bare":
        import uvloop

        uvloop.run(bare(baseline))
        return
    import uvicorn

    uvicorn.run(
        socketio_app(baseline),
        host="127.0.0.1",
        port=baseline.ws_port,
        log_config=None,
        access_log=False,
        # Like podium's: frames go out uncompressed, so the stacks are compared, not zlib.
        ws_per_message_deflate=False,
        ws_ping_interval=10.0,
        ws_ping_timeout=10.0,
    )
