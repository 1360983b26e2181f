"""A podium service as its own process, as the containers run it (`podium intake` etc.)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from services.supervisor import die_with_parent
from shared.settings import Settings
from tests.support.servers import free_port


@contextlib.contextmanager
def service(
    name: str, settings: Settings, log: Path, extra: dict[str, str] | None = None
) -> Iterator[str]:
    """Run `podium NAME` until the block ends; yields its base URL once it is ready.
    `extra`: more PODIUM_* settings for it."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PODIUM_")}
    env |= {
        "PODIUM_NATS_URL": settings.nats_url,
        "PODIUM_REDIS_URL": settings.redis_url,
        "PODIUM_SECRET": settings.secret,
        "PODIUM_DEDUP_WINDOW_S": str(settings.dedup_window_s),
        f"PODIUM_{name.upper()}_PORT": str(port),
        **(extra or {}),
    }
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "services", name],
            env=env,
            stderr=out,
            stdout=out,
            preexec_fn=die_with_parent,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, f"{name} exited; see {log}"
            assert time.monotonic() < deadline, f"{name} not ready; see {log}"
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                    break
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
