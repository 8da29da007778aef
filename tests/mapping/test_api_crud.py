"""CRUD and filters for features, places and parking spots over the GeoJSON API."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from mapping.models import AccessibilityFeature, Place
from tests.conftest import YEOUIDO, geojson_point, make_feature, make_parking, make_place

pytestmark = pytest.mark.django_db

FEATURES = "/api/mapping/features/"
PLACES = "/api/mapping/places/"
PARKING = "/api/mapping/parking-spots/"


def kerb_payload(**overrides: Any) -> dict[str, Any]:
    payload = {
        "feature_type": "kerb",
        "geom": geojson_point(),
        "kerb": "raised",
        "kerb_height_cm": 8,
    }
    payload.update(overrides)
    return payload


def test_a_volunteer_records_a_kerb_and_everyone_can_read_it(minji, client_for, anon) -> None:
    r = client_for(minji).post(FEATURES, kerb_payload(), format="json")
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["type"] == "Feature"
    assert body["geometry"]["coordinates"] == list(YEOUIDO)
    props = body["properties"]
    assert props["kerb_height_cm"] == 8
    assert props["source"] == "survey"
    assert props["observer_name"] == "민지"
    assert props["version"] == 1
    assert r["ETag"] == '"v1"'
    got = anon.get(f"{FEATURES}{body['id']}/")
    assert got.status_code == 200
    assert got["ETag"] == '"v1"'


def test_update_needs_the_version_and_bumps_it(minji, client_for) -> None:
    feature = make_feature(observer=minji)
    client = client_for(minji)
    r = client.patch(f"{FEATURES}{feature.pk}/", {"kerb_height_cm": 4}, format="json")
    assert r.status_code == 428
    assert "version" in r.json()["errors"]
    r = client.patch(
        f"{FEATURES}{feature.pk}/", {"kerb_height_cm": 4}, format="json", HTTP_IF_MATCH='"v1"'
    )
    assert r.status_code == 200, r.json()
    assert r["ETag"] == '"v2"'
    feature.refresh_from_db()
    assert (feature.kerb_height_cm, feature.version) == (4, 2)
    r = client.put(
        f"{FEATURES}{feature.pk}/", kerb_payload(kerb_height_cm=5, version=2), format="json"
    )
    assert r.status_code == 200, r.json()
    assert r.json()["properties"]["version"] == 3


def test_delete_is_soft_and_versioned(minji, client_for) -> None:
    feature = make_feature(observer=minji)
    client = client_for(minji)
    assert client.delete(f"{FEATURES}{feature.pk}/", HTTP_IF_MATCH='"v1"').status_code == 204
    assert client.get(f"{FEATURES}{feature.pk}/").status_code == 404
    kept = AccessibilityFeature.all_objects.get(pk=feature.pk)
    assert kept.deleted_at is not None and kept.version == 2


def test_a_replayed_offline_create_is_stored_once(minji, client_for) -> None:
    payload = kerb_payload(client_id="3b0f6c1e-2d7a-4c39-9d0e-6a1f0c2b9e11")
    client = client_for(minji)
    first = client.post(FEATURES, payload, format="json")
    second = client.post(FEATURES, payload, format="json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert AccessibilityFeature.objects.count() == 1


def test_filters_by_bbox_distance_type_status_source_and_update_time(anon) -> None:
    near = make_feature(feature_type="steps", step_count=12)
    far = make_feature(geom="SRID=4326;POINT(127.05 37.50)")
    ramp = make_feature(feature_type="ramp", incline_pct=6, source="osm", status="validated")
    old = make_feature(feature_type="crossing")
    AccessibilityFeature.objects.filter(pk=old.pk).update(
        updated_at=timezone.now() - timedelta(days=30)
    )

    def ids(query: str) -> set[int]:
        r = anon.get(FEATURES + query)
        assert r.status_code == 200, r.json()
        return {f["id"] for f in r.json()["features"]}

    assert ids("?bbox=126.92,37.52,126.93,37.53") == {near.pk, ramp.pk, old.pk}
    assert ids("?near=127.05,37.50&radius_m=100") == {far.pk}
    assert ids("?near=126.9245,37.5265&radius_m=50&type=steps") == {near.pk}
    assert ids("?type=ramp&type=steps") == {ramp.pk, near.pk}
    assert ids("?status=validated") == {ramp.pk}
    assert ids("?source=osm") == {ramp.pk}
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert old.pk not in ids(f"?updated_since={since.replace('+', '%2B')}")


def test_pagination_and_page_size(anon) -> None:
    for _ in range(5):
        make_feature()
    r = anon.get(FEATURES + "?page_size=2").json()
    assert r["count"] == 5 and len(r["features"]) == 2 and r["next"]


def test_place_with_entrances_and_a_rating_for_a_profile(minji, client_for, anon) -> None:
    payload = {
        "name": "여의도 한강 카페",
        "category": "cafe",
        "geom": geojson_point(),
        "toilet_accessible": True,
        "entrances": [
            {
                "name": "정문",
                "has_steps": True,
                "step_count": 1,
                "step_height_cm": 5,
                "door_width_cm": 90,
            }
        ],
    }
    r = client_for(minji).post(PLACES, payload, format="json")
    assert r.status_code == 201, r.json()
    pk = r.json()["id"]
    manual = anon.get(f"{PLACES}{pk}/?profile=manual_wheelchair").json()["properties"]["rating"]
    powered = anon.get(f"{PLACES}{pk}/?profile=powered_wheelchair").json()["properties"]["rating"]
    assert manual["grade"] == "no"  # 5 cm step > 3 cm
    assert powered["grade"] == "limited"  # one step <= 6 cm
    assert anon.get(f"{PLACES}{pk}/").json()["properties"]["rating"] is None


def test_parking_spot_crud_and_search(official, client_for, anon) -> None:
    spot = make_parking()
    make_place(name="다른 곳")
    client = client_for(official)
    r = client.patch(
        f"{PARKING}{spot.pk}/",
        {"disabled_spaces": 6, "has_signage": True},
        format="json",
        HTTP_IF_MATCH=spot.etag,
    )
    assert r.status_code == 200, r.json()
    assert r.json()["properties"]["disabled_spaces"] == 6
    assert anon.get(PLACES + "?q=다른").json()["count"] == 1
    assert Place.objects.count() == 1
