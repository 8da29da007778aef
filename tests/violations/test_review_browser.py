"""An official works a report in Debian's chromium: draws a blur rectangle on a photo, approves
the redacted copy (after a colleague's change in between is refused and reloaded), confirms the
report; the public photo URL then serves the redacted image."""

from __future__ import annotations

import pytest

from tests.violations.conftest import PLATE, report_body
from tests.violations.test_browser import axe_violations, logged_in_page
from violations import photo_review, workflow
from violations.models import RedactionStatus, ReportStatus, ViolationReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_official_redacts_approves_and_confirms(
    browser, live_server, official, admin_user, minji, client_for, bay
) -> None:
    created = client_for(minji).post("/api/violations/reports/", report_body(), format="multipart")
    report = ViolationReport.objects.get(pk=created.json()["id"])
    photo = report.photos.order_by("position").first()
    page = logged_in_page(browser, live_server, official)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/violations/review/")
    assert axe_violations(page) == []
    page.click(f"tr[data-report='{report.pk}'] a")
    page.wait_for_url(f"**/violations/review/{report.pk}/")
    assert page.inner_text("#plate") == PLATE
    assert axe_violations(page) == []

    box = page.locator(f".photo-review[data-key='{photo.key}']")
    box.locator("img.original").evaluate("img => img.decode()")
    box.locator("canvas.draw").scroll_into_view_if_needed()
    canvas = box.locator("canvas.draw").bounding_box()
    assert canvas and canvas["width"] > 100
    page.mouse.move(canvas["x"] + canvas["width"] * 0.05, canvas["y"] + canvas["height"] * 0.05)
    page.mouse.down()
    page.mouse.move(canvas["x"] + canvas["width"] * 0.3, canvas["y"] + canvas["height"] * 0.25)
    page.mouse.up()
    assert box.locator("ul.rects li").count() == 1, (errors, canvas)
    box.locator("button.save-redaction").click()
    box.locator(".photo-status", has_text="저장").wait_for()
    photo.refresh_from_db()
    [(x, y, w, h)] = photo.manual_regions
    assert x < 0.1 * photo.width_px and y < 0.1 * photo.height_px
    assert w > 0.15 * photo.width_px and h > 0.1 * photo.height_px
    assert box.get_attribute("data-revision") == "2"

    # A colleague re-renders the copy after this page showed it: approving is refused (nothing
    # published), the new copy is reloaded and the official's rectangle stays on screen.
    photo_review.set_manual_regions(photo, [[0, 0, 30, 30]], admin_user, expected_revision=2)
    box.locator("button.approve").click()
    box.locator(".photo-status", has_text="다른 사람이").wait_for()
    photo.refresh_from_db()
    assert photo.redaction_status == RedactionStatus.PENDING and photo.revision == 3
    assert box.locator("ul.rects li").count() == 1
    assert "?t=" in (box.locator("img.redacted").get_attribute("src") or "")
    assert box.get_attribute("data-revision") == "3"
    box.locator("button.approve").click()
    box.locator(".photo-status", has_text="승인").wait_for()

    # Meanwhile a colleague starts the review: the page's confirm is refused, the note kept.
    workflow.transition(report, ReportStatus.UNDER_REVIEW, actor=admin_user)
    page.fill("#t-note", "번호판 가림 확인")
    page.click("button[data-to='confirmed']")
    alert = page.locator("[role=alert]")
    assert "다른 사람이" in alert.inner_text()
    assert page.input_value("#t-note") == "번호판 가림 확인"
    assert page.inner_text("#current-status") == "검토 중"
    page.click("button[data-to='confirmed']")
    page.wait_for_selector("#current-status:has-text('위반 확인')")
    assert report.notes.get().text == "번호판 가림 확인"
    report.refresh_from_db()
    photo.refresh_from_db()
    assert report.status == ReportStatus.CONFIRMED and report.decided_by == official
    assert photo.redaction_status == RedactionStatus.APPROVED

    anonymous = browser.new_context()
    public = anonymous.request.get(
        f"{live_server.url}/api/violations/photos/{photo.key}/public.jpg"
    )
    assert public.status == 200
    assert public.body() == photo.redacted.read()
    assert public.body() != photo.original.read()
    original = anonymous.request.get(
        f"{live_server.url}/api/violations/photos/{photo.key}/original/"
    )
    assert original.status in (401, 403)
    anonymous.close()
    assert errors == []
