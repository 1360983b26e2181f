"""The whole stack through its public interface: `podium up` (tests/support/stack.py) and the
pages in a real browser, one Chromium per module."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.support.browser import CHROMIUM, FLAGS


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """In CI a missing browser is a failure, never a skip."""
    if not Path(CHROMIUM).exists():
        assert not os.environ.get("CI"), "CI must install Debian's chromium (.ci/run does)"
        pytest.skip("no chromium on this machine: apt-get install chromium")
    # Lets the tests see, and cut, what the pages' service worker fetches (`cut_network` in
    # test_marking_browser.py).
    with pytest.MonkeyPatch.context() as env, sync_playwright() as playwright:
        env.setenv("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()
