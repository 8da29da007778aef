"""Bad input gets a 4xx naming the field, and nothing is partly written."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from mapping.models import AccessibilityFeature, DisabledParkingSpot, Entrance, Photo, Place
from tests.conftest import geojson_point, make_feature

pytestmark = pytest.mark.django_db

FEATURES = "/api/mapping/features/"


def post(client, url: str, payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    r = client.post(url, payload, format="json")
    return r.status_code, r.json()


@pytest.mark.parametrize(
    ("payload", "field", "hint"),
    [
        ({"geom": geojson_point(37.5265, 126.9245)}, "geom", "swapped"),
        ({"geom": geojson_point(200, 37.5)}, "geom", "range"),
        ({"geom": geojson_point(0, 0)}, "geom", "0,0"),
        ({"geom": geojson_point(139.7, 35.7)}, "geom", "outside the service area"),  # Tokyo
        (
            {
                "geom": {
                    "type": "Polygon",
                    "coordinates": [
                        [[126.92, 37.52], [126.93, 37.52], [126.93, 37.53], [126.92, 37.52]]
                    ],
                }
            },
            "geom",
            "not allowed",
        ),
        ({"geom": "not geojson"}, "geom", ""),
        ({"feature_type": "teleporter"}, "feature_type", "valid choice"),
        ({"kerb": "sky-high"}, "kerb", "valid choice"),
        ({"kerb_height_cm": 300}, "kerb_height_cm", "50"),
        ({"kerb_height_cm": -2}, "kerb_height_cm", "0"),
        ({"step_count": 0}, "step_count", "1"),
        ({"width_m": 45}, "width_m", "30"),
        ({"is_temporary": True}, "expires_at", "expiry"),
        ({"kerb": "flush", "kerb_height_cm": 10}, "kerb_height_cm", "flush"),
        ({"observed_at": "2999-01-01T00:00:00Z"}, "observed_at", "future"),
    ],
)
def test_bad_feature_input_is_refused_naming_the_field(
    minji, client_for, payload, field, hint
) -> None:
    body = {"feature_type": "kerb", "geom": geojson_point(), **payload}
    status, error = post(client_for(minji), FEATURES, body)
    assert status == 400, error
    assert field in error["errors"], error
    assert hint in str(error["errors"][field]) or hint.lower() in str(error).lower()
    assert AccessibilityFeature.all_objects.count() == 0


def test_self_intersecting_parking_polygon_is_refused(official, client_for) -> None:
    bowtie = {
        "type": "Polygon",
        "coordinates": [
            [[126.92, 37.52], [126.93, 37.53], [126.93, 37.52], [126.92, 37.53], [126.92, 37.52]]
        ],
    }
    status, error = post(
        client_for(official), "/api/mapping/parking-spots/", {"geom": bowtie, "disabled_spaces": 2}
    )
    assert status == 400
    assert "Self-intersection" in str(error["errors"]["geom"])
    assert DisabledParkingSpot.all_objects.count() == 0


def test_a_place_with_one_bad_entrance_writes_nothing(minji, client_for) -> None:
    payload = {
        "name": "카페",
        "category": "cafe",
        "geom": geojson_point(),
        "entrances": [{"door_width_cm": 90}, {"door_width_cm": 5}],
    }
    status, error = post(client_for(minji), "/api/mapping/places/", payload)
    assert status == 400
    assert "entrances" in error["errors"]
    assert Place.all_objects.count() == 0 and Entrance.objects.count() == 0


def test_a_bad_edit_changes_nothing(minji, client_for) -> None:
    feature = make_feature(observer=minji)
    r = client_for(minji).patch(
        f"{FEATURES}{feature.pk}/",
        {"kerb": "raised", "kerb_height_cm": 999},
        format="json",
        HTTP_IF_MATCH='"v1"',
    )
    assert r.status_code == 400 and "kerb_height_cm" in r.json()["errors"]
    feature.refresh_from_db()
    assert (feature.kerb, feature.kerb_height_cm, feature.version) == ("lowered", 2.0, 1)


def test_malformed_if_match_and_bad_query_parameters(minji, client_for, anon) -> None:
    feature = make_feature(observer=minji)
    r = client_for(minji).patch(
        f"{FEATURES}{feature.pk}/", {"kerb": "flush"}, format="json", HTTP_IF_MATCH="garbage"
    )
    assert r.status_code == 400 and "If-Match" in r.json()["errors"]
    assert "bbox" in anon.get(FEATURES + "?bbox=1,2,3").json()["errors"]
    assert "radius_m" in anon.get(FEATURES + "?near=126.9,37.5&radius_m=900000").json()["errors"]
    assert "profile" in anon.get("/api/mapping/places/?profile=jetpack").json()["errors"]


def _jpeg(size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, format="JPEG")
    return out.getvalue()


def test_non_image_and_oversize_uploads_are_refused(minji, client_for, settings) -> None:
    feature = make_feature(observer=minji)
    url = f"{FEATURES}{feature.pk}/photos/"
    client = client_for(minji)
    fake = io.BytesIO(b"%PDF-1.4 definitely not a photo")
    fake.name = "kerb.jpg"
    r = client.post(url, {"image": fake}, format="multipart")
    assert r.status_code == 415 and "image" in r.json()["errors"]
    settings.MAX_UPLOAD_BYTES = 100
    big = io.BytesIO(_jpeg())
    big.name = "kerb.jpg"
    r = client.post(url, {"image": big}, format="multipart")
    assert r.status_code == 413 and "image" in r.json()["errors"]
    settings.MAX_UPLOAD_BYTES = 10_000_000
    settings.MAX_IMAGE_PIXELS = 1000
    wide = io.BytesIO(_jpeg((100, 100)))
    wide.name = "kerb.jpg"
    r = client.post(url, {"image": wide}, format="multipart")
    assert r.status_code == 413 and "pixels" in r.json()["detail"]
    assert client.post(url, {}, format="multipart").json()["errors"] == {
        "image": ["This field is required."]
    }
    assert Photo.objects.count() == 0


def test_errors_speak_korean_by_default(minji) -> None:
    from rest_framework.test import APIClient

    client = APIClient()  # no Accept-Language: Korean first
    client.force_authenticate(minji)
    r = client.post(
        FEATURES, {"feature_type": "kerb", "geom": geojson_point(37.5265, 126.9245)}, format="json"
    )
    assert r.status_code == 400
    assert "좌표가 뒤바뀐 것 같습니다" in r.json()["errors"]["geom"][0]
