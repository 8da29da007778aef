"""Debian's chromium through Playwright, launched the same way by every browser test.

Never a downloaded browser: ``/usr/bin/chromium`` (``bin/modugil test`` installs it), with the
flags a headless run on a shared CI machine needs. WebGL (MapLibre) runs on SwiftShader.
Browser tests take the ``browser`` fixture (tests/conftest.py): one chromium per test module.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--enable-unsafe-swiftshader",
]


@contextmanager
def chromium() -> Iterator[Any]:
    """A launched chromium (skips the test when Debian's chromium is not installed)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (bin/modugil test installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make
    # between browser steps are plain synchronous calls.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
