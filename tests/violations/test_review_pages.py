"""The officials' review pages: who may open them, the queue's filters and counts, and decisions
made through the page (the workflow's rules, reasons, stale versions) with nothing typed lost."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.violations.conftest import PLATE, make_report, report_body
from violations import crypto, workflow
from violations.models import (
    PrivateDataAccess,
    ReportNote,
    ReportSource,
    ReportStatus,
    ViolationReport,
    ViolationType,
)

pytestmark = pytest.mark.django_db
S = ReportStatus


def page_client(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="ko")
    if user is not None:
        client.force_login(user)
    return client


def rows(response: Any) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-report="(\d+)"', response.content.decode())]


def counts(response: Any) -> dict[str, int]:
    html = response.content.decode()
    found = re.findall(r'data-status="(\w+)">[^<]*<strong>(\d+)</strong>', html)
    return {status: int(n) for status, n in found}


def with_plate(**overrides: Any) -> ViolationReport:
    h, enc = crypto.protect_plate(PLATE)
    contact = crypto.encrypt_contact({"phone": "010-1234-5678"})
    return make_report(
        plate_hash=h, plate_encrypted=enc, reporter_contact_encrypted=contact, **overrides
    )


# --- who may open the pages -------------------------------------------------------------------


def test_officials_open_the_queue_and_a_report_others_are_refused(official, minji, leader) -> None:
    report = with_plate()
    urls = ["/violations/review/", f"/violations/review/{report.pk}/"]
    for url in urls:
        anonymous = page_client(None).get(url)
        assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
        for user in (minji, leader):
            refused = page_client(user).get(url)
            assert refused.status_code == 403
            assert PLATE not in refused.content.decode()
        assert page_client(official).get(url).status_code == 200
    for path in ("transition", "note"):
        posted = page_client(minji).post(
            f"/violations/review/{report.pk}/{path}/", {"to": S.CONFIRMED, "version": 1}
        )
        assert posted.status_code == 403
    report.refresh_from_db()
    assert report.status == S.RECEIVED and not report.notes.exists()


def test_officials_see_the_plate_and_contact_and_every_view_is_logged(official) -> None:
    report = with_plate()
    html = page_client(official).get(f"/violations/review/{report.pk}/").content.decode()
    assert PLATE in html and "010-1234-5678" in html
    page_client(official).get(f"/violations/review/{report.pk}/")
    views = PrivateDataAccess.objects.filter(report=report, user=official)
    assert views.count() == 2
    assert sorted(views.first().fields) == ["contact", "plate"]
    assert views.first().channel == "review_page"


def test_the_report_api_logs_plate_views_too(official, client_for) -> None:
    report = with_plate()
    response = client_for(official).get(f"/api/violations/reports/{report.pk}/")
    assert response.json()["properties"]["plate"] == PLATE
    assert PrivateDataAccess.objects.filter(report=report, channel="api").count() == 1
    listed = client_for(official).get("/api/violations/reports/", {"plate": PLATE})
    assert [f["id"] for f in listed.json()["features"]] == [report.pk]
    logged = PrivateDataAccess.objects.filter(report=report, channel="api").order_by("pk")
    assert logged.count() == 2
    assert logged.last().path == "/api/violations/reports/"  # never the searched plate


# --- the queue --------------------------------------------------------------------------------


@pytest.fixture
def queue_world(db: Any) -> dict[str, ViolationReport]:
    day = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.get_current_timezone())
    world = {
        "old": make_report(occurred_at=day - timedelta(days=30), district="성정동"),
        "new": make_report(occurred_at=day, district="두정동"),
        "obstruction": make_report(
            occurred_at=day - timedelta(days=3),
            violation_type=ViolationType.OBSTRUCTION,
            district="두정동",
        ),
        "sensor": make_report(
            occurred_at=day - timedelta(days=2), source=ReportSource.SENSOR, district="두정동"
        ),
        "closed": make_report(occurred_at=day - timedelta(days=1), district="두정동"),
    }
    ViolationReport.objects.filter(pk=world["closed"].pk).update(status=S.CLOSED)
    ViolationReport.objects.filter(pk=world["sensor"].pk).update(status=S.UNDER_REVIEW)
    return world


def test_queue_lists_open_reports_oldest_first_with_counts(official, queue_world) -> None:
    response = page_client(official).get("/violations/review/")
    w = queue_world
    assert rows(response) == [w["old"].pk, w["obstruction"].pk, w["sensor"].pk, w["new"].pk]
    assert counts(response) == {
        **dict.fromkeys(S.values, 0),
        S.RECEIVED: 3,
        S.UNDER_REVIEW: 1,
        S.CLOSED: 1,
    }


def test_queue_filters_by_status_type_source_district_and_date(official, queue_world) -> None:
    client, w = page_client(official), queue_world
    by_status = client.get("/violations/review/", {"filtered": 1, "status": S.CLOSED})
    assert rows(by_status) == [w["closed"].pk]
    by_type = client.get("/violations/review/", {"type": ViolationType.OBSTRUCTION})
    assert rows(by_type) == [w["obstruction"].pk]
    by_source = client.get("/violations/review/", {"source": ReportSource.SENSOR})
    assert rows(by_source) == [w["sensor"].pk]
    by_district = client.get("/violations/review/", {"filtered": 1, "district": "두정동"})
    assert rows(by_district) == [w["obstruction"].pk, w["sensor"].pk, w["closed"].pk, w["new"].pk]
    assert counts(by_district)[S.RECEIVED] == 2  # counts follow every filter but the status
    by_date = client.get("/violations/review/", {"start": "2026-02-27", "end": "2026-02-28"})
    assert rows(by_date) == [w["obstruction"].pk, w["sensor"].pk]


def test_imported_enforcement_records_stay_out_of_the_queue_unless_asked_for(official) -> None:
    live = make_report()
    record = make_report(source=ReportSource.ENFORCEMENT, channel="import", status=S.FINED)
    client = page_client(official)
    default = client.get("/violations/review/")
    assert rows(default) == [live.pk] and counts(default)[S.FINED] == 0
    asked = client.get("/violations/review/", {"source": ReportSource.ENFORCEMENT})
    assert rows(asked) == [record.pk] and counts(asked)[S.FINED] == 1
    # The page's form keeps the live sources ticked, so submitting it changes nothing unasked.
    html = default.content.decode()
    assert 'value="citizen" checked' in html and 'value="enforcement" checked' not in html


def test_queue_refuses_unknown_filter_values(official, queue_world) -> None:
    response = page_client(official).get("/violations/review/", {"status": "bogus"})
    assert response.status_code == 400 and "bogus" in response.content.decode()
    bad_date = page_client(official).get("/violations/review/", {"start": "2026-13-01"})
    assert bad_date.status_code == 400


def test_queue_shows_bay_photos_and_duplicates_and_paginates(official, bay) -> None:
    first = make_report(spot=bay, occurred_at=timezone.now() - timedelta(days=1))
    for _ in range(49):
        make_report()
    dup = make_report(spot=bay)
    workflow.transition(dup, S.DUPLICATE, actor=None, system=True, duplicate_of=first)
    client = page_client(official)
    page1 = client.get("/violations/review/", {"filtered": 1})
    assert len(rows(page1)) == 50 and rows(page1)[0] == first.pk
    html = page1.content.decode()
    assert "두정 공영주차장" in html and f'?filtered=1&amp;spot={bay.pk}"' in html
    page2 = client.get("/violations/review/", {"filtered": 1, "page": 2})
    assert rows(page2) == [dup.pk] and f"#{first.pk}" in page2.content.decode()
    by_bay = client.get("/violations/review/", {"filtered": 1, "spot": bay.pk})
    assert rows(by_bay) == [first.pk, dup.pk]


# --- decisions made through the page --------------------------------------------------------


def test_a_transition_from_the_page_moves_the_report_and_shows_in_history(official) -> None:
    report = with_plate()
    client = page_client(official)
    html = client.get(f"/violations/review/{report.pk}/").content.decode()
    buttons = re.findall(r'data-to="(\w+)"', html)
    assert buttons == [
        t for t in workflow.allowed_targets(S.RECEIVED, official) if t != "duplicate"
    ]
    posted = client.post(
        f"/violations/review/{report.pk}/transition/",
        {"to": S.CONFIRMED, "version": 1, "note": "사진 확인"},
    )
    assert posted.status_code == 302
    report.refresh_from_db()
    assert report.status == S.CONFIRMED and report.version == 2
    assert report.notes.get().text == "사진 확인"
    history = client.get(f"/violations/review/{report.pk}/").content.decode()
    section = history.split('id="history"')[1]
    assert "박주무관" in section and "확인" in section and "접수" in section


def test_a_transition_the_workflow_forbids_is_refused_and_shown(official) -> None:
    report = with_plate()
    response = page_client(official).post(
        f"/violations/review/{report.pk}/transition/",
        {"to": S.CLOSED, "version": 1, "note": "바로 종결"},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert 'role="alert"' in html and "바로 종결" in html
    report.refresh_from_db()
    assert report.status == S.RECEIVED and report.version == 1 and not report.notes.exists()


def test_dismissing_needs_a_reason(official) -> None:
    report = with_plate()
    client = page_client(official)
    url = f"/violations/review/{report.pk}/transition/"
    refused = client.post(url, {"to": S.DISMISSED, "version": 1, "note": "번호판 안 보임"})
    assert refused.status_code == 400
    assert "번호판 안 보임" in refused.content.decode()
    report.refresh_from_db()
    assert report.status == S.RECEIVED
    accepted = client.post(
        url, {"to": S.DISMISSED, "version": 1, "reason": "insufficient_evidence"}
    )
    assert accepted.status_code == 302
    report.refresh_from_db()
    assert report.status == S.DISMISSED and report.decision_reason == "insufficient_evidence"


def test_a_stale_version_is_refused_and_the_typed_text_kept(official, admin_user) -> None:
    report = with_plate()
    client = page_client(official)
    workflow.transition(report, S.UNDER_REVIEW, actor=admin_user)  # someone else, meanwhile
    stale = client.post(
        f"/violations/review/{report.pk}/transition/",
        {"to": S.CONFIRMED, "version": 1, "note": "증거 충분", "reason": "evidence_sufficient"},
    )
    assert stale.status_code == 412
    html = stale.content.decode()
    assert "증거 충분" in html and "2판" in html  # the project's stale-version message, in Korean
    assert 'name="version" value="2"' in html  # re-submitting applies on top of what changed
    report.refresh_from_db()
    assert report.status == S.UNDER_REVIEW and not report.notes.exists()
    note = client.post(f"/violations/review/{report.pk}/note/", {"text": "메모", "version": 1})
    assert note.status_code == 412 and "메모</textarea>" in note.content.decode()
    assert not ReportNote.objects.filter(report=report).exists()
    ok = client.post(f"/violations/review/{report.pk}/note/", {"text": "메모", "version": 2})
    assert ok.status_code == 302 and report.notes.get().author == official


def test_a_form_without_version_writes_nothing(official) -> None:
    report = with_plate()
    response = page_client(official).post(
        f"/violations/review/{report.pk}/transition/", {"to": S.CONFIRMED}
    )
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.status == S.RECEIVED


def test_candidates_are_listed_and_marked_as_duplicate(official, minji, client_for, bay) -> None:
    first = (
        client_for(minji)
        .post("/api/violations/reports/", report_body(), format="multipart")
        .json()["id"]
    )
    other = with_plate(spot=bay)
    ViolationReport.objects.filter(pk=other.pk).update(status=S.UNDER_REVIEW, version=2)
    client = page_client(official)
    html = client.get(f"/violations/review/{other.pk}/").content.decode()
    candidates = html.split('id="candidates"')[1].split("</table>")[0]
    assert f"#{first}" in candidates and "같은 번호판" in candidates
    response = client.post(
        f"/violations/review/{other.pk}/transition/",
        {"to": S.DUPLICATE, "duplicate_of": first, "version": 2},
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.status == S.DUPLICATE and other.duplicate_of_id == first


def test_dashboard_and_home_link_to_the_queue(official, minji) -> None:
    assert 'href="/violations/review/"' in page_client(official).get("/").content.decode()
    assert 'href="/violations/review/"' not in page_client(minji).get("/").content.decode()
    dashboard = page_client(official).get("/violations/dashboard/").content.decode()
    assert 'href="/violations/review/"' in dashboard


def test_admin_views_of_a_report_are_logged_and_the_log_is_read_only(admin_user) -> None:
    report = with_plate()
    client = page_client(admin_user)
    response = client.get(f"/admin/violations/violationreport/{report.pk}/change/")
    assert response.status_code == 200 and PLATE in response.content.decode()
    access = PrivateDataAccess.objects.get(report=report)
    assert access.channel == "admin" and access.user == admin_user
    assert client.get("/admin/violations/privatedataaccess/").status_code == 200
    assert client.get("/admin/violations/privatedataaccess/add/").status_code == 403


def test_the_pages_are_available_in_english(official) -> None:
    report = with_plate()
    client = page_client(official)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(f"/violations/review/{report.pk}/").content.decode()
    assert "Status history" in html and "Possible duplicates" in html
    assert "Violation review queue" in client.get("/violations/review/").content.decode()
