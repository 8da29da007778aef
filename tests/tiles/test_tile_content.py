"""Tiles carry the right features with their attributes; empty tiles answer 204."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.gis.geos import Point, Polygon
from django.utils import timezone

from community.models import Campaign, Team
from mapping.services import soft_delete
from tests.conftest import YEOUIDO, make_feature, make_parking, make_place, wkt
from tests.tiles.conftest import by_id, decode, tile_url

pytestmark = pytest.mark.django_db


def test_feature_tile_has_attributes_and_omits_unknown_values(anon) -> None:
    kerb = make_feature(kerb="raised", kerb_height_cm=12.5)
    steps = make_feature(
        feature_type="steps",
        kerb="",
        kerb_height_cm=None,
        step_count=4,
        geom=wkt("LINESTRING(126.9245 37.5265, 126.9247 37.5266)"),
    )
    features = by_id(decode(anon.get(tile_url("features")), "features"))
    assert set(features) == {kerb.pk, steps.pk}
    assert features[kerb.pk]["properties"]["kerb"] == "raised"
    assert features[kerb.pk]["properties"]["kerb_height_cm"] == 12.5
    assert features[kerb.pk]["geometry"]["type"] == "Point"
    assert features[steps.pk]["geometry"]["type"] == "LineString"
    assert features[steps.pk]["properties"]["step_count"] == 4
    # Blank means unknown: absent from the tile, never an empty string.
    assert "kerb" not in features[steps.pk]["properties"]
    assert "surface" not in features[kerb.pk]["properties"]


def test_only_active_features_are_drawn(anon) -> None:
    alive = make_feature()
    deleted = make_feature()
    soft_delete(deleted)
    expired = make_feature(
        feature_type="obstacle", is_temporary=True, expires_at=timezone.now() - timedelta(hours=1)
    )
    current = make_feature(
        feature_type="obstacle", is_temporary=True, expires_at=timezone.now() + timedelta(days=1)
    )
    ids = set(by_id(decode(anon.get(tile_url("features")), "features")))
    assert ids == {alive.pk, current.pk}
    assert deleted.pk not in ids and expired.pk not in ids


def test_features_outside_the_tile_are_not_in_it(anon) -> None:
    inside = make_feature()
    make_feature(geom=Point(126.95, 37.55, srid=4326))  # about 3 km away
    assert set(by_id(decode(anon.get(tile_url("features")), "features"))) == {inside.pk}


def test_an_empty_tile_answers_204(anon) -> None:
    response = anon.get(tile_url("features"))
    assert response.status_code == 204
    assert response.content == b""
    assert response["ETag"]


def test_parking_tile_keeps_points_and_polygons(anon) -> None:
    bay = make_parking(disabled_spaces=2, total_spaces=30, has_signage=True)
    lot = make_parking(
        geom=Polygon.from_bbox((126.9244, 37.5264, 126.9246, 37.5266)), lot_name="공영주차장"
    )
    lot.geom.srid = 4326
    features = by_id(decode(anon.get(tile_url("parking")), "parking"))
    assert features[bay.pk]["properties"]["disabled_spaces"] == 2
    assert features[bay.pk]["properties"]["has_signage"] is True
    assert features[lot.pk]["geometry"]["type"] == "Polygon"
    assert features[lot.pk]["properties"]["lot_name"] == "공영주차장"


def test_places_carry_name_category_and_grade(anon) -> None:
    place = make_place(entrances=[{"has_steps": False, "door_width_cm": 95}])
    features = by_id(decode(anon.get(tile_url("places")), "places"))
    props = features[place.pk]["properties"]
    assert props["name"] == "여의도 카페" and props["category"] == "cafe"
    assert props["grade"] == "yes"


def test_campaign_areas_show_their_state(anon, leader) -> None:
    team = Team.objects.create(name="여의도 스스로해결단")
    today = timezone.localdate()
    area = Polygon.from_bbox((126.92, 37.52, 126.93, 37.53))
    area.srid = 4326
    running = Campaign.objects.create(
        team=team,
        name="턱 지도",
        area=area,
        target_types=["kerb", "curb_ramp"],
        starts_on=today - timedelta(days=3),
        ends_on=today + timedelta(days=3),
        created_by=leader,
    )
    ended = Campaign.objects.create(
        team=team,
        name="지난 캠페인",
        area=area,
        target_types=["place"],
        starts_on=today - timedelta(days=30),
        ends_on=today - timedelta(days=1),
    )
    features = by_id(decode(anon.get(tile_url("campaigns", z=14)), "campaigns"))
    assert features[running.pk]["properties"]["state"] == "active"
    assert features[running.pk]["properties"]["targets"] == "kerb,curb_ramp"
    assert features[running.pk]["properties"]["team_name"] == "여의도 스스로해결단"
    assert features[running.pk]["geometry"]["type"] == "Polygon"
    assert features[ended.pk]["properties"]["state"] == "ended"
    assert YEOUIDO  # the demo point lies inside the campaign area
