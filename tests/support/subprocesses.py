"""A podium service as its own process, as the containers run it (`podium intake` etc.)."""

from __future__ import annotations

import contextlib
import functools
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx

from services.tools.supervisor import die_with_parent
from shared.settings import Settings, as_env, env_name
from tests.support.eventually import eventually_sync
from tests.support.servers import free_port

READY_WITHIN_S = 60.0


@contextlib.contextmanager
def service(
    name: str, settings: Settings, log: Path, extra: dict[str, str] | None = None
) -> Iterator[str]:
    """Run `podium NAME` until the block ends; yields its base URL once it is ready.
    `extra`: more PODIUM_* settings for it."""
    chosen = as_env(
        nats_url=settings.nats_url,
        redis_url=settings.redis_url,
        secret=settings.secret,
        dedup_window_s=settings.dedup_window_s,
    )
    env = podium_env(chosen | (extra or {}))
    with podiums([(log.stem, name, env)], log.parent) as [started]:
        yield started.url


@dataclass
class Podium:
    """`podium NAME` in its own process, as a container runs it."""

    name: str
    url: str
    process: subprocess.Popen[bytes]
    log: Path


def podium_env(settings: Mapping[str, str]) -> dict[str, str]:
    """This environment without any PODIUM_* of the developer's, plus `settings`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PODIUM_")}
    return env | dict(settings)


@contextlib.contextmanager
def podiums(specs: list[tuple[str, str, dict[str, str]]], logs: Path) -> Iterator[list[Podium]]:
    """Start every (label, service, env) at once, then wait until each is ready; stop them
    all when the block ends. Starting together keeps the cold start of many Pythons short."""
    started: list[Podium] = []
    try:
        for label, service, env in specs:
            port = free_port()
            log = logs / f"{label}.log"
            with log.open("ab") as out:
                process = subprocess.Popen(
                    [sys.executable, "-m", "services", service],
                    env=env | {env_name(f"{service}_port"): str(port)},
                    stdout=out,
                    stderr=out,
                    preexec_fn=die_with_parent,
                )
            started.append(Podium(label, f"http://127.0.0.1:{port}", process, log))
        for podium in started:
            eventually_sync(
                functools.partial(ready, podium),
                within=READY_WITHIN_S,
                every=0.2,
                what=f"{podium.name} ready (see {podium.log})",
            )
        yield started
    finally:
        for podium in started:
            podium.process.terminate()
        for podium in started:
            try:
                podium.process.wait(10)
            except subprocess.TimeoutExpired:
                podium.process.kill()
                podium.process.wait()


def ready(podium: Podium) -> bool:
    assert podium.process.poll() is None, f"{podium.name} exited; see {podium.log}"
    try:
        return httpx.get(f"{podium.url}/readyz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False
