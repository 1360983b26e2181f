"""compose.yaml, the Dockerfile and the NATS config, checked statically (no Docker here)."""

from __future__ import annotations

import argparse
import re
import subprocess
from pathlib import Path
from typing import Any

import yaml

from services.cli import parser
from services.supervisor import binary

ROOT = Path(__file__).parents[2]


def compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text())
    return document


def cli_commands() -> set[str]:
    sub = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    return set(sub.choices)


def test_compose_runs_the_five_parts_with_healthchecks_and_pinned_images() -> None:
    services = compose()["services"]
    assert set(services) == {"nats", "redis", "intake", "ranking", "broadcast"}
    for name, service in services.items():
        image = service["image"]
        assert re.fullmatch(r"[a-z0-9/._-]+:\d+\.\d+\.\d+(-[a-z0-9]+)?", image), (name, image)
        if name in ("nats", "redis"):
            assert "healthcheck" in service, name
    for name in ("intake", "ranking", "broadcast"):
        service = services[name]
        assert service["command"] == [name]
        assert name in cli_commands()
        assert service["build"]["dockerfile"] == "deploy/Dockerfile"
        assert {d: c["condition"] for d, c in service["depends_on"].items()} == {
            "nats": "service_healthy",
            "redis": "service_healthy",
        }
        assert service["environment"]["PODIUM_SECRET"].startswith("${PODIUM_SECRET:?")
        assert service["environment"]["PODIUM_NATS_URL"] == "nats://nats:4222"


def test_the_dockerfile_runs_as_a_user_from_a_pinned_base_with_a_healthcheck() -> None:
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text()
    bases = re.findall(r"^FROM (\S+)", dockerfile, re.MULTILINE)
    assert bases and all(re.fullmatch(r"python:\d+\.\d+\.\d+-slim-\w+", b) for b in bases)
    assert re.search(r"^USER podium$", dockerfile, re.MULTILINE)
    assert "HEALTHCHECK" in dockerfile
    assert '["podium"]' in dockerfile


def test_the_nats_config_is_valid_for_nats_server() -> None:
    conf = ROOT / "deploy" / "nats" / "single.conf"
    result = subprocess.run(
        [binary("nats-server"), "-t", "-c", str(conf)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "sync_interval: always" in conf.read_text()
