"""Browser fixtures: Debian's chromium through Playwright, at a phone viewport, against live_server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import YEOUIDO

PHONE = {"width": 390, "height": 844}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "volunteer"
DOC_SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def phone(browser: Any, live_server: Any) -> Iterator[Any]:
    """A fresh phone-sized browser profile in Korean, standing in Yeouido with GPS allowed."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        locale="ko-KR",
        geolocation={"latitude": YEOUIDO[1], "longitude": YEOUIDO[0], "accuracy": 6},
        permissions=["geolocation"],
    )
    context.set_default_timeout(15_000)
    errors: list[str] = []
    context.on("weberror", lambda e: errors.append(str(e.error)))
    yield context
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


@pytest.fixture
def shot() -> Callable[..., Path]:
    """Save a screenshot under test-artifacts/; ``doc=True`` also refreshes the README's copy
    when MODUGIL_UPDATE_SCREENSHOTS=1."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page: Any, name: str, *, doc: bool = False, full_page: bool = False) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        if doc and os.environ.get("MODUGIL_UPDATE_SCREENSHOTS") == "1":
            DOC_SHOTS.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, DOC_SHOTS / f"volunteer-{name}.png")
        return path

    return take


def log_in(page: Any, username: str, next_url: str = "/app/") -> None:
    page.goto(f"/accounts/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", f"pw-{username}")
    page.click("form button[type=submit]")
    page.wait_for_url(f"**{next_url}")
