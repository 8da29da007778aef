"""Open311 GeoReport v2: services, service definition, POST with an API key, GET in JSON and XML
with the spec's fields, the spec's error format, jurisdiction_id."""

from __future__ import annotations

from datetime import timedelta
from xml.etree import ElementTree as ET

import pytest
from django.test import Client
from django.utils import timezone, translation

from tests.violations.conftest import CHEONAN, PLATE, evidence
from violations import crypto, workflow
from violations.credentials import issue_client_key
from violations.models import (
    Channel,
    DecisionReason,
    Open311Client,
    ReportStatus,
    ViolationReport,
)

pytestmark = pytest.mark.django_db
BASE = "/api/violations/open311/v2"
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


def xml_of(body: bytes) -> ET.Element:
    return ET.fromstring(body)  # noqa: S314 - our own response, not untrusted input


@pytest.fixture
def api_key(db) -> str:
    return issue_client_key(Open311Client(name="구청 민원 시스템"))


def form(api_key: str, **overrides) -> dict:
    first = timezone.now().replace(microsecond=0) - timedelta(minutes=20)
    body = {
        "api_key": api_key,
        "jurisdiction_id": "modugil.local",
        "service_code": "disabled_parking_violation",
        "lat": str(CHEONAN[1]),
        "long": str(CHEONAN[0]),
        "email": "citizen@example.kr",
        "phone": "010-9876-5432",
        "first_name": "길동",
        "description": "장애인구역 주차",
        "attribute[violation_type]": "illegal_parking",
        "attribute[plate_visible]": "true",
        "attribute[plate_number]": PLATE,
        "attribute[photo_1_taken_at]": first.isoformat(),
        "attribute[photo_2_taken_at]": (first + timedelta(seconds=75)).isoformat(),
        "media_url": "https://reports.example.kr/photos/1.jpg",
    }
    body.update(overrides)
    return body


def test_services_and_definition_carry_the_spec_fields() -> None:
    client = Client()
    services = client.get(f"{BASE}/services.json").json()
    assert set(services[0]) >= {
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    }
    assert services[0]["metadata"] is True and services[0]["type"] == "realtime"
    definition = client.get(f"{BASE}/services/disabled_parking_violation.json").json()
    codes = {a["code"]: a for a in definition["attributes"]}
    assert {"violation_type", "plate_visible", "photo_2_taken_at"} <= set(codes)
    for attribute in definition["attributes"]:
        assert set(attribute) >= {
            "variable",
            "code",
            "datatype",
            "required",
            "datatype_description",
            "order",
            "description",
        }
    assert [v["key"] for v in codes["violation_type"]["values"]] == [
        "illegal_parking",
        "obstruction",
        "permit_misuse",
    ]
    assert codes["photo_2_taken_at"]["datatype"] == "datetime"
    xml = xml_of(client.get(f"{BASE}/services.xml").content)
    assert (
        xml.tag == "services"
        and xml.find("service/service_code").text == "disabled_parking_violation"
    )
    assert client.get(f"{BASE}/discovery.json").json()["endpoints"][0]["formats"]


def test_post_needs_an_api_key_and_creates_a_citizen_report(api_key) -> None:
    client = Client()
    refused = client.post(f"{BASE}/requests.json", form("wrong"))
    assert refused.status_code == 403 and refused.json()[0]["code"] == 403
    r = client.post(f"{BASE}/requests.json", form(api_key))
    assert r.status_code == 201, r.content
    body = r.json()[0]
    assert set(body) == {"service_request_id", "service_notice", "account_id"}
    report = ViolationReport.objects.get(pk=body["service_request_id"])
    assert report.channel == Channel.OPEN311 and report.open311_client.name == "구청 민원 시스템"
    assert crypto.decrypt(report.plate_encrypted) == PLATE and report.plate_visible is True
    assert (
        crypto.decrypt_contact(report.reporter_contact_encrypted)["email"] == "citizen@example.kr"
    )


def test_post_enforces_the_evidence_rule_and_required_attributes(api_key) -> None:
    client = Client()
    first = timezone.now() - timedelta(minutes=5)
    close = form(
        api_key,
        **{
            "attribute[photo_2_taken_at]": (first + timedelta(seconds=10)).isoformat(),
            "attribute[photo_1_taken_at]": first.isoformat(),
        },
    )
    r = client.post(f"{BASE}/requests.json", close)
    assert r.status_code == 400 and "photo_taken_at" in r.json()[0]["description"]
    missing = form(api_key)
    del missing["attribute[violation_type]"]
    r = client.post(f"{BASE}/requests.xml", missing)
    errors = xml_of(r.content)
    assert r.status_code == 400 and errors.tag == "errors"
    assert "attribute[violation_type]" in errors.find("error/description").text
    assert ViolationReport.objects.count() == 0


def test_post_accepts_photo_uploads_as_media(api_key) -> None:
    body = form(api_key)
    for key in ("attribute[photo_1_taken_at]", "attribute[photo_2_taken_at]"):
        del body[key]
    body["media"] = evidence()
    r = Client().post(f"{BASE}/requests.json", body)
    assert r.status_code == 201, r.content
    assert ViolationReport.objects.get().photos.count() == 2


def test_get_requests_json_and_xml_with_status_and_coarse_location(api_key, official) -> None:
    client = Client()
    created = client.post(f"{BASE}/requests.json", form(api_key)).json()[0]["service_request_id"]
    rows = client.get(f"{BASE}/requests.json").json()
    assert len(rows) == 1 and set(rows[0]) >= REQUEST_FIELDS
    row = rows[0]
    assert row["service_request_id"] == created and row["status"] == "open"
    assert (row["lat"], row["long"]) != (CHEONAN[1], CHEONAN[0])
    assert abs(row["lat"] - CHEONAN[1]) < 0.005 and abs(row["long"] - CHEONAN[0]) < 0.005
    report = ViolationReport.objects.get(pk=created)
    workflow.transition(
        report, ReportStatus.DISMISSED, actor=official, reason="permit_valid", note=PLATE
    )
    closed = client.get(f"{BASE}/requests/{created}.xml")
    item = xml_of(closed.content).find("request")
    assert item.find("status").text == "closed"
    with translation.override("ko"):
        expected = f"{ReportStatus.DISMISSED.label} — {DecisionReason.PERMIT_VALID.label}"
    assert item.find("status_notes").text == expected
    assert PLATE not in closed.content.decode()  # the official's free-text note stays inside
    assert client.get(f"{BASE}/requests.json", {"status": "open"}).json() == []
    assert len(client.get(f"{BASE}/requests.json", {"status": "closed"}).json()) == 1
    assert client.get(f"{BASE}/requests/999999.json").status_code == 404


def test_jurisdiction_and_bad_parameters(api_key) -> None:
    client = Client()
    assert (
        client.get(f"{BASE}/services.json", {"jurisdiction_id": "elsewhere.kr"}).status_code == 404
    )
    r = client.get(
        f"{BASE}/requests.json",
        {"start_date": "2025-01-01T00:00:00+09:00", "end_date": "2025-12-01T00:00:00+09:00"},
    )
    assert r.status_code == 400 and r.json()[0]["description"].startswith("start_date")
    assert client.get(f"{BASE}/services.yaml").status_code == 404
