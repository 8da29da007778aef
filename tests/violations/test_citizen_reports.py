"""Citizen reports: 안전신문고's evidence rule, plates never stored in clear, nearest bay,
duplicates, idempotent replays, and the Korean form."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from tests.violations.conftest import CHEONAN, PLATE, car_photo, evidence, report_body
from violations import crypto
from violations.models import ReportStatus, ViolationPhoto, ViolationReport

pytestmark = pytest.mark.django_db
URL = "/api/violations/reports/"


def test_two_photos_a_minute_apart_make_a_report_linked_to_the_bay(minji, client_for, bay) -> None:
    r = client_for(minji).post(URL, report_body(), format="multipart")
    assert r.status_code == 201, r.json()
    report = ViolationReport.objects.get()
    assert report.status == ReportStatus.RECEIVED and report.reporter == minji
    assert report.spot == bay and report.spot_distance_m < 1
    photos = list(report.photos.order_by("position"))
    assert len(photos) == 2 and {p.taken_at_source for p in photos} == {"exif"}
    assert report.occurred_at == photos[0].taken_at
    assert (photos[1].taken_at - photos[0].taken_at).total_seconds() == 90


@pytest.mark.parametrize(
    ("photos", "message"),
    [
        (lambda: evidence(gap_s=30), "30 seconds apart"),
        (lambda: evidence()[:1], "at least 2 photos"),
        (lambda: [], "at least 2 photos"),
        (lambda: evidence(gap_s=90, ago_min=-60), "future"),
    ],
)
def test_evidence_rule_refusals_name_the_photos_field(minji, client_for, photos, message) -> None:
    r = client_for(minji).post(URL, report_body(photos=photos()), format="multipart")
    assert r.status_code == 400
    body = r.json()
    assert message in str(body["errors"]["photos"])
    assert ViolationReport.objects.count() == 0 and ViolationPhoto.objects.count() == 0


def test_capture_time_from_the_app_when_exif_is_missing(minji, client_for) -> None:
    first = timezone.now() - timedelta(minutes=10)
    photos = [car_photo(None, name="a.jpg"), car_photo(None, name="b.jpg")]
    times = [first.isoformat(), (first + timedelta(minutes=2)).isoformat()]
    r = client_for(minji).post(
        URL, report_body(photos=photos, photo_taken_at=times), format="multipart"
    )
    assert r.status_code == 201, r.json()
    assert set(ViolationPhoto.objects.values_list("taken_at_source", flat=True)) == {"client"}
    r = client_for(minji).post(
        URL, report_body(photos=[car_photo(None), car_photo(None)]), format="multipart"
    )
    assert r.status_code == 400 and "photos[0]" in r.json()["errors"]


def test_plate_and_contact_are_never_stored_in_clear(minji, client_for) -> None:
    assert client_for(minji).post(URL, report_body(), format="multipart").status_code == 201
    report = ViolationReport.objects.get()
    assert report.plate_hash == crypto.plate_hash(PLATE)
    assert crypto.decrypt(report.plate_encrypted) == PLATE
    assert crypto.decrypt_contact(report.reporter_contact_encrypted) == {"phone": "010-1234-5678"}
    with connection.cursor() as cursor:
        cursor.execute("SELECT row_to_json(v)::text FROM violations_violationreport v")
        raw = cursor.fetchone()[0]
        cursor.execute(
            "SELECT string_agg(row_to_json(e)::text, '') FROM violations_violationreportevent e"
        )
        history = cursor.fetchone()[0]
    for text in (raw, history):
        assert PLATE not in text and "3456" not in text and "010-1234" not in text


def test_the_reporter_sees_no_plate_and_others_see_nothing(
    minji, junho, official, client_for
) -> None:
    created = client_for(minji).post(URL, report_body(), format="multipart").json()
    mine = client_for(minji).get(f"{URL}{created['id']}/").json()
    assert "plate" not in str(mine["properties"]) and mine["properties"]["status"] == "received"
    assert client_for(junho).get(f"{URL}{created['id']}/").status_code == 404
    assert client_for(None).get(URL).status_code in (401, 403)
    seen = client_for(official).get(f"{URL}{created['id']}/").json()["properties"]
    assert seen["plate"] == PLATE and seen["contact"] == {"phone": "010-1234-5678"}
    assert "under_review" in seen["allowed_transitions"]
    found = client_for(official).get(URL, {"plate": "12 가 3456"}).json()
    assert [f["id"] for f in found["features"]] == [created["id"]]


def test_same_plate_within_the_window_is_a_duplicate(minji, junho, client_for) -> None:
    first = client_for(minji).post(URL, report_body(), format="multipart").json()
    moved = report_body(lon=CHEONAN[0] + 0.01)  # elsewhere, same car
    second = client_for(junho).post(URL, moved, format="multipart").json()
    report = ViolationReport.objects.get(pk=second["id"])
    assert report.status == ReportStatus.DUPLICATE and report.duplicate_of_id == first["id"]
    other_car = client_for(junho).post(
        URL, report_body(plate="34나5678", lon=CHEONAN[0] + 0.01), format="multipart"
    )
    assert ViolationReport.objects.get(pk=other_car.json()["id"]).status == ReportStatus.RECEIVED


def test_same_bay_same_type_is_a_duplicate_even_without_plate(
    minji, junho, client_for, bay
) -> None:
    first = client_for(minji).post(URL, report_body(plate=""), format="multipart").json()
    second = client_for(junho).post(URL, report_body(plate=""), format="multipart").json()
    assert ViolationReport.objects.get(pk=second["id"]).duplicate_of_id == first["id"]


def test_a_replayed_client_id_returns_the_first_report(minji, client_for) -> None:
    key = str(uuid.uuid4())
    first = client_for(minji).post(URL, report_body(client_id=key), format="multipart")
    again = client_for(minji).post(URL, report_body(client_id=key), format="multipart")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and ViolationReport.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [("lon", 200), ("lat", 0), ("violation_type", "speeding"), ("plate", "!!")],
)
def test_bad_input_is_a_400_naming_the_field(minji, client_for, field, value) -> None:
    r = client_for(minji).post(URL, report_body(**{field: value}), format="multipart")
    assert r.status_code == 400
    assert set(r.json()["errors"]) & {field, "location"}


def test_the_form_is_korean_first_and_shows_errors_next_to_fields(minji) -> None:
    client = Client()
    assert client.get("/violations/report/").status_code == 302  # log in first
    client.force_login(minji)
    page = client.get("/violations/report/").content.decode()
    assert 'lang="ko"' in page and "불법주차" in page and 'for="id_plate"' in page
    body = report_body(photos=evidence(gap_s=20))
    r = client.post("/violations/report/", body)
    assert r.status_code == 400
    html = r.content.decode()
    assert "error-summary" in html and "20 seconds apart" in html
    r = client.post("/violations/report/", report_body())
    assert r.status_code == 302
    receipt = client.get(r["Location"]).content.decode()
    assert "접수" in receipt and PLATE not in receipt
