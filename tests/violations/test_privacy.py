"""Privacy: no public endpoint ever returns a plate, a contact, an internal note or an evidence
photo that an official has not redacted and approved. Checked by scanning every response."""

from __future__ import annotations

import re
from typing import Any

import mapbox_vector_tile
import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from tests.violations.conftest import CHEONAN, PLATE, report_body
from tiles.registry import all_layers
from tiles.tilegrid import lonlat_to_tile
from violations import photo_review, redaction, workflow
from violations.credentials import issue_client_key
from violations.intake.sensors import SensorEventIn, record_event
from violations.models import (
    Open311Client,
    ReportStatus,
    SensorDevice,
    ViolationPhoto,
    ViolationReport,
)

pytestmark = pytest.mark.django_db
SECRETS = (
    PLATE,
    "12가 3456",
    "010-1234-5678",
    "01012345678",
    "citizen@example.kr",
    "34나5678",
    "내부 메모",
)


def all_patterns(resolver: URLResolver, prefix: str = "") -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            found += all_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            found.append((prefix + str(entry.pattern), entry))
    return found


def concrete(pattern: str, values: dict[str, str]) -> list[str]:
    """Fill a URL pattern's parameters with the world's ids; skip what cannot be filled."""
    path = pattern.replace("^", "").replace("$", "").replace("\\.", ".").replace("\\Z", "")
    path = re.sub(r"\(\?P<format>[^)]*\)", "json", path)
    path = re.sub(r"\.\(\?P<fmt>[^)]*\)", ".{fmt}", path)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", path)
    path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", path)
    if "(" in path or "*" in path or "?" in path:
        return []
    urls = []
    for fmt in ("json", "xml"):
        try:
            urls.append("/" + path.format(fmt=fmt, **values))
        except KeyError:
            return []
    return sorted(set(urls))


@pytest.fixture
def world(minji, official, client_for, bay, cheonan_2023) -> dict[str, str]:
    created = client_for(minji).post("/api/violations/reports/", report_body(), format="multipart")
    report = ViolationReport.objects.get(pk=created.json()["id"])
    client_for(official).post(
        f"/api/violations/reports/{report.pk}/notes/", {"text": "내부 메모 12가3456"}, format="json"
    )
    published, pending = report.photos.order_by("position")
    photo_review.review(published, "approve", official, expected_revision=1)
    device = SensorDevice.objects.create(device_id="cam-1", spot=bay)
    for kind in ("entry", "violation"):
        record_event(
            device, SensorEventIn(f"e-{kind}", "s-1", kind, timezone.now(), plate="34나5678")
        )
    key = issue_client_key(Open311Client(name="민원"))
    now = timezone.now().replace(microsecond=0)
    Client().post(
        "/api/violations/open311/v2/requests.json",
        {
            "api_key": key,
            "service_code": "disabled_parking_violation",
            "lat": "36.8335",
            "long": "127.1395",
            "email": "citizen@example.kr",
            "phone": "010-1234-5678",
            "description": "번호 12가3456",
            "attribute[violation_type]": "obstruction",
            "attribute[plate_visible]": "true",
            "attribute[photo_1_taken_at]": (now - timezone.timedelta(minutes=9)).isoformat(),
            "attribute[photo_2_taken_at]": (now - timezone.timedelta(minutes=7)).isoformat(),
        },
    )
    return {
        "pk": str(report.pk),
        "id": str(report.pk),
        "request_id": str(report.pk),
        "key": str(pending.key),
        "code": "disabled_parking_violation",
        "published": str(published.key),
        "pending": str(pending.key),
    }


def scan_every_url(client: Client, world: dict[str, str], private_root: Any) -> set:
    """GET every URL pattern filled with the world's ids; no secret in any body. (url, status)s."""
    originals = {p.original.read() for p in ViolationPhoto.objects.all()}
    seen: set = set()
    for pattern, _ in all_patterns(get_resolver()):
        if pattern.startswith(("admin/", "i18n/", "static/")):
            continue
        urls = concrete(pattern, world) + concrete(pattern, {**world, "key": world["published"]})
        for url in sorted(set(urls)):
            for params in ({}, {"start": "2023-01-01", "end": "2030-12-31", "resolution": "12"}):
                response = client.get(url, params)
                body = (
                    b"".join(response.streaming_content) if response.streaming else response.content
                )
                seen.add((url, response.status_code))
                text = body.decode("utf-8", errors="ignore")
                for secret in SECRETS:
                    assert secret not in text, (url, secret)
                assert str(private_root) not in text and "-original.jpg" not in text, url
                assert body not in originals, url
    return seen


def test_no_public_response_contains_a_plate_contact_or_private_photo(world, private_root) -> None:
    seen = scan_every_url(Client(), world, private_root)
    assert len(seen) > 40, len(seen)
    assert ("/api/violations/photos/" + world["published"] + "/public.jpg", 200) in seen
    assert (f"/violations/review/{world['pk']}/", 302) in seen  # the login redirect


def test_no_response_to_a_signed_in_non_official_contains_them_either(
    world, private_root, junho
) -> None:
    """A volunteer (not the reporter) signed in: the review pages refuse, nothing leaks anywhere."""
    client = Client()
    client.force_login(junho)
    seen = scan_every_url(client, world, private_root)
    assert (f"/violations/review/{world['pk']}/", 403) in seen
    assert ("/violations/review/", 403) in seen
    assert len(seen) > 40, len(seen)


def _tile_values(body: bytes) -> list[str]:
    """Every layer name, attribute name and attribute value in an MVT, as text."""
    values: list[str] = []
    for name, layer in mapbox_vector_tile.decode(body).items():
        values.append(name)
        for feature in layer["features"]:
            values.append(str(feature.get("id")))
            for key, value in feature["properties"].items():
                values += [str(key), str(value)]
    return values


def test_no_public_tile_contains_a_plate_contact_or_photo_path(world, private_root) -> None:
    """Every registered layer's tiles over the world, z8 to z17, anonymous: decoded and scanned."""
    client = Client()
    private = [*SECRETS, str(private_root), "-original.jpg", world["pending"]]
    private += [r.plate_hash for r in ViolationReport.objects.exclude(plate_hash="")]
    features = {}
    for layer in all_layers():
        for z in range(8, 18):
            tile = lonlat_to_tile(*CHEONAN, z)
            for params in ({}, {"start": "2023-01-01", "end": "2030-12-31"}):
                response = client.get(f"/tiles/{layer.name}/{z}/{tile.x}/{tile.y}.pbf", params)
                text = response.content.decode("utf-8", errors="ignore")
                values = _tile_values(response.content) if response.status_code == 200 else []
                features[layer.name] = features.get(layer.name, 0) + len(values)
                for secret in private:
                    assert secret not in text, (layer.name, z, secret)
                    assert not any(secret in value for value in values), (layer.name, z, secret)
                if layer.restricted:
                    assert response.status_code == 401, layer.name
    assert features["violation-hexagons"] > 0 and features["parking"] > 0  # not vacuous


def test_only_the_approved_redacted_photo_is_public(world, official, client_for) -> None:
    anon = Client()
    published = ViolationPhoto.objects.get(key=world["published"])
    pending = ViolationPhoto.objects.get(key=world["pending"])
    public = anon.get(f"/api/violations/photos/{published.key}/public.jpg")
    body = b"".join(public.streaming_content)
    assert public.status_code == 200 and body == published.redacted.read()
    assert body != published.original.read()
    assert anon.get(f"/api/violations/photos/{pending.key}/public.jpg").status_code == 404
    for kind in ("original", "redacted"):
        assert anon.get(f"/api/violations/photos/{pending.key}/{kind}/").status_code in (401, 403)
        r = client_for(official).get(f"/api/violations/photos/{pending.key}/{kind}/")
        assert r.status_code == 200 and r["Cache-Control"] == "private, no-store"


def test_evidence_is_stored_outside_the_public_media_route(world, private_root, settings) -> None:
    photo = ViolationPhoto.objects.get(key=world["published"])
    path = photo.original.path
    assert path.startswith(str(private_root)) and not path.startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        photo.original.url  # noqa: B018 - private files have no URL
    relative = photo.original.name
    assert Client().get(f"/media/photos/{relative}").status_code == 404
    assert Client().get(f"/media/{relative}").status_code == 404


def test_plates_are_detected_blurred_and_officials_can_add_rectangles(
    world, official, minji
) -> None:
    photo = ViolationPhoto.objects.get(key=world["pending"])
    kinds = {r[4] for r in photo.auto_regions}
    assert "plate" in kinds
    x, y, w, h = (int(v) for v in next(r for r in photo.auto_regions if r[4] == "plate")[:4])
    original = redaction.decode(photo.original.read())
    blurred = redaction.decode(photo.redacted.read())
    plate_box = (slice(345, 370), slice(255, 395))  # the drawn plate text
    assert x <= 255 and y <= 345 and x + w >= 395 and y + h >= 370
    assert original[plate_box].std() > 3 * blurred[plate_box].std()  # the characters are gone
    with pytest.raises(Exception, match="Only officials"):
        photo_review.set_manual_regions(photo, [[0, 0, 50, 50]], minji, expected_revision=1)
    photo_review.set_manual_regions(photo, [[0, 0, 100, 80]], official, expected_revision=1)
    photo.refresh_from_db()
    assert photo.manual_regions == [[0, 0, 100, 80]] and photo.redaction_status == "pending"
    corner = redaction.decode(photo.redacted.read())[0:80, 0:100]
    assert corner.std() <= original[0:80, 0:100].std() + 1
    with pytest.raises(Exception, match="outside"):
        photo_review.set_manual_regions(
            photo, [[600, 400, 100, 100]], official, expected_revision=2
        )


def test_faces_are_found_by_the_bundled_cascade() -> None:
    import cv2
    import numpy as np

    face = np.full((400, 400), 200, np.uint8)
    cv2.ellipse(face, (200, 200), (110, 140), 0, 0, 360, 180, -1)
    for cx in (160, 240):
        cv2.ellipse(face, (cx, 170), (22, 12), 0, 0, 360, 40, -1)
    cv2.rectangle(face, (130, 145), (190, 152), 60, -1)
    cv2.rectangle(face, (210, 145), (270, 152), 60, -1)
    cv2.line(face, (200, 180), (200, 240), 150, 6)
    cv2.ellipse(face, (200, 275), (40, 12), 0, 0, 360, 70, -1)
    jpeg = redaction.encode(cv2.cvtColor(cv2.GaussianBlur(face, (9, 9), 3), cv2.COLOR_GRAY2BGR))
    regions = redaction.detect_regions(jpeg)
    assert any(r[4] == "face" for r in regions)


def test_dismissed_reports_do_not_count_in_public_hexagons(world, official) -> None:
    report = ViolationReport.objects.get(pk=world["pk"])
    workflow.transition(
        report, ReportStatus.DISMISSED, actor=official, reason="insufficient_evidence"
    )
    params = {
        "source": "citizen",
        "start": "2020-01-01",
        "end": "2030-01-01",
        "status": "dismissed",
    }
    layer = Client().get("/api/violations/hotspots/hexagons/", params).json()
    assert all(f["properties"]["cases"] >= 3 for f in layer["features"])
    assert sum(f["properties"]["cases"] for f in layer["features"]) == 0
