"""Settings, read once from the environment (`PODIUM_*`)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import msgspec

DEMO_CHAMPIONSHIP = Path(__file__).parent / "data" / "turkicskills-2025.json"


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    nats_url: str = "nats://127.0.0.1:4222"
    redis_url: str = "redis://127.0.0.1:6379/0"
    championship: str = str(DEMO_CHAMPIONSHIP)
    secret: str = ""
    host: str = "127.0.0.1"
    intake_port: int = 8001
    broadcast_port: int = 8000
    ranking_port: int = 8002
    # Skills this ranking replica owns; empty means all of them.
    ranking_skills: tuple[str, ...] = ()
    # How long JetStream remembers a mark id (Nats-Msg-Id) to drop a retried one.
    dedup_window_s: float = 72 * 3600.0
    stream_replicas: int = 1
    token_ttl_s: int = 16 * 3600
    log_level: str = "INFO"
    # Fault injection for the crash tests: ranking kills itself (SIGKILL) right after applying
    # this many commands, before acking the last one. 0, the default, never.
    fault_die_after_apply: int = 0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        raw: dict[str, object] = {}
        for field in msgspec.structs.fields(cls):
            value = env.get("PODIUM_" + field.name.upper())
            if value is None or value == "":
                continue
            if field.name == "ranking_skills":
                raw[field.name] = tuple(s.strip() for s in value.split(",") if s.strip())
            else:
                raw[field.name] = value
        try:
            return msgspec.convert(raw, cls, strict=False)
        except msgspec.ValidationError as error:
            raise SettingsError(f"bad setting: {error}") from error


class SettingsError(ValueError):
    """A PODIUM_* variable holds a value of the wrong kind."""
