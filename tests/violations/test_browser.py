"""The officials' dashboard and the citizen form in Debian's chromium: layers, ranking, filters,
Gi* legend, accessibility (axe-core), and a report filed with two photos."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.violations.conftest import car_photo
from violations.models import ViolationReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logged_in_page(browser: Any, live_server: Any, user: Any) -> Any:
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="ko-KR")
    cookie = client.cookies["sessionid"]
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    return context.new_page()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def test_dashboard_shows_layers_ranking_and_filters(
    browser, live_server, official, cheonan_2023
) -> None:
    page = logged_in_page(browser, live_server, official)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    tiles: list[tuple[str, int]] = []
    page.on("response", lambda r: tiles.append((r.url, r.status)) if "/tiles/" in r.url else None)
    page.goto(f"{live_server.url}/violations/dashboard/")
    assert page.locator("html").get_attribute("lang") == "ko"
    assert page.input_value("#f-start") == "2023-01-01"
    page.wait_for_function("document.querySelectorAll('#ranking tbody tr').length === 10")
    first = page.locator("#ranking tbody tr").first.inner_text()
    assert "성정동" in first or "동" in first
    page.wait_for_function("document.getElementById('status-line').textContent.includes('건수')")
    # Case hexagons are the officials' vector tiles, with the form's filters.
    hexagons = [(u, s) for u, s in tiles if "/tiles/violation-hexagons-official/" in u]
    assert any(s == 200 and "start=2023-01-01" in u for u, s in hexagons), tiles
    assert "export.csv?start=2023-01-01" in page.get_attribute("#x-csv", "href")
    page.select_option("#f-layer", "gistar")
    page.wait_for_function("document.getElementById('legend').textContent.includes('핫스팟')")
    page.select_option("#f-district", "성정동")
    page.click("#filters button[type=submit]")
    page.wait_for_function(
        "[...document.querySelectorAll('#ranking tbody tr')].every(r => r.textContent.includes('성정동'))"
    )
    tiles.clear()
    page.select_option("#f-layer", "cases")
    page.wait_for_function("document.getElementById('legend').textContent.includes('건수')")
    assert any("district=%EC%84%B1" in u for u, _s in tiles), tiles  # 성정동, URL-encoded
    assert axe_violations(page) == []
    assert errors == []


def test_volunteers_cannot_open_the_dashboard(browser, live_server, minji) -> None:
    page = logged_in_page(browser, live_server, minji)
    response = page.goto(f"{live_server.url}/violations/dashboard/")
    assert response.status == 403


def test_a_citizen_files_a_report_with_two_photos(browser, live_server, minji, tmp_path) -> None:
    page = logged_in_page(browser, live_server, minji)
    page.goto(f"{live_server.url}/violations/report/")
    assert axe_violations(page) == []
    first = timezone.now() - timedelta(minutes=15)
    files = []
    for i, when in enumerate((first, first + timedelta(minutes=2))):
        path = tmp_path / f"photo{i}.jpg"
        path.write_bytes(car_photo(when).getvalue())
        files.append(str(path))
    page.check("#id_violation_type_1")
    page.fill("#id_lat", "36.8335")
    page.fill("#id_lon", "127.1395")
    page.fill("#id_plate", "12가3456")
    page.set_input_files("#id_photos", files)
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("text=신고 번호는")
    report = ViolationReport.objects.get()
    assert report.violation_type == "obstruction" and report.photos.count() == 2
