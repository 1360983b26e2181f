"""Debian's headless Chromium for the browser tests, driven by playwright (never a downloaded
browser). Screenshots go to test-artifacts/."""

from __future__ import annotations

import shutil
from pathlib import Path

ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
