"""Settings, read once from the environment (`PODIUM_*`)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import msgspec

# The demo as its organisers hold it: a TOML naming the skills' marking-scheme workbooks and
# the people workbook (written by services/tools/demo_files.py), and the same championship
# as one self-contained JSON file, made from them (for compose's config and the tests).
DEMO_CHAMPIONSHIP = Path(__file__).parent / "data" / "turkicskills-2025" / "championship.toml"
DEMO_CHAMPIONSHIP_JSON = Path(__file__).parent / "data" / "turkicskills-2025.json"


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    nats_url: str = "nats://127.0.0.1:4222"
    redis_url: str = "redis://127.0.0.1:6379/0"
    # The demo, self-contained: a service started alone reads no workbooks (`podium up` hands
    # its parts the championship it checked, likewise in one file).
    championship: str = str(DEMO_CHAMPIONSHIP_JSON)
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
    # Rate limits of intake's API (requests a second, and the burst allowed above it); 0 turns
    # one off. A tablet emptying its offline queue sends dozens at once, and a venue's tablets
    # may share one address behind the hall's router: both are well within these.
    rate_token_per_s: float = 20.0
    rate_token_burst: float = 200.0
    rate_address_per_s: float = 200.0
    rate_address_burst: float = 2000.0
    # The feed: connections per address (a hall's phones behind one router share one), and
    # messages a second per connection (a page subscribes to a few dozen channels at once).
    feed_per_address: int = 256
    feed_messages_per_s: float = 10.0
    feed_messages_burst: float = 100.0
    # Origins, besides the feed's own host, whose pages may open the feed ("*": any).
    allowed_origins: tuple[str, ...] = ()
    # Proxies whose X-Forwarded-For names the client (uvicorn's forwarded_allow_ips): behind
    # compose's proxy every screen would otherwise share the proxy's address.
    trusted_proxies: str = "127.0.0.1"
    # The spectators' page as the public reaches it (`https://results.example.org/`): venue
    # displays show it as a QR code. Empty: no QR code.
    public_url: str = ""
    # Broadcast as the venue crew's browsers reach it, for the previews on intake's crew page.
    # Empty: the host the crew page was asked on, at `broadcast_port`.
    broadcast_url: str = ""
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
            if field.name in ("ranking_skills", "allowed_origins"):
                raw[field.name] = tuple(s.strip() for s in value.split(",") if s.strip())
            else:
                raw[field.name] = value
        try:
            return msgspec.convert(raw, cls, strict=False)
        except msgspec.ValidationError as error:
            raise SettingsError(f"bad setting: {error}") from error


class SettingsError(ValueError):
    """A PODIUM_* variable holds a value of the wrong kind."""
