"""ETag and Cache-Control; an edit, from any writer, shows on the next request; 304 when unchanged."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from mapping.models import AccessibilityFeature, Entrance
from tests.conftest import make_feature, make_place
from tests.tiles.conftest import by_id, decode, tile_url
from tiles import serving

pytestmark = pytest.mark.django_db


def test_tiles_carry_an_etag_and_must_be_revalidated(anon) -> None:
    make_feature()
    response = anon.get(tile_url("features"))
    assert response.status_code == 200
    assert response["ETag"].startswith('"') and response["Cache-Control"] == "public, no-cache"
    assert response["Access-Control-Allow-Origin"] == "*"


def test_if_none_match_answers_304_until_the_data_changes(anon) -> None:
    feature = make_feature()
    first = anon.get(tile_url("features"))
    etag = first["ETag"]
    again = anon.get(tile_url("features"), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    AccessibilityFeature.objects.filter(pk=feature.pk).update(kerb_height_cm=9)
    changed = anon.get(tile_url("features"), HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert by_id(decode(changed, "features"))[feature.pk]["properties"]["kerb_height_cm"] == 9


def test_an_edit_through_the_api_shows_on_the_next_tile(anon, minji, client_for) -> None:
    feature = make_feature(kerb="lowered", observer=minji)
    before = by_id(decode(anon.get(tile_url("features")), "features"))
    assert before[feature.pk]["properties"]["kerb"] == "lowered"
    response = client_for(minji).patch(
        f"/api/mapping/features/{feature.pk}/",
        {"kerb": "raised", "kerb_height_cm": 15},
        format="json",
        HTTP_IF_MATCH='"v1"',
    )
    assert response.status_code == 200, response.content
    after = by_id(decode(anon.get(tile_url("features")), "features"))
    assert after[feature.pk]["properties"]["kerb"] == "raised"


def test_raw_sql_writes_and_deletes_move_the_version_too(anon) -> None:
    feature = make_feature()
    etag = anon.get(tile_url("features"))["ETag"]
    with connection.cursor() as cursor:  # a writer that bypasses the ORM (psql, an importer)
        cursor.execute("DELETE FROM mapping_accessibilityfeature WHERE id = %s", [feature.pk])
    response = anon.get(tile_url("features"), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 204 and response["ETag"] != etag


def test_a_new_entrance_changes_the_places_tile(anon) -> None:
    place = make_place(entrances=[{"has_steps": True, "step_count": 3}])
    before = by_id(decode(anon.get(tile_url("places")), "places"))
    assert before[place.pk]["properties"]["grade"] == "no"
    Entrance.objects.create(place=place, has_steps=False, door_width_cm=100)
    after = by_id(decode(anon.get(tile_url("places")), "places"))
    assert after[place.pk]["properties"]["grade"] == "yes"


def test_an_obstacle_leaves_the_tile_when_it_expires_without_any_edit(anon) -> None:
    obstacle = make_feature(
        feature_type="obstacle",
        is_temporary=True,
        expires_at=timezone.now() + timedelta(seconds=1),
    )
    first = anon.get(tile_url("features"))
    assert obstacle.pk in by_id(decode(first, "features"))
    time.sleep(1.2)
    later = anon.get(tile_url("features"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert later.status_code == 204 and later["ETag"] != first["ETag"]


def test_layers_do_not_share_versions(anon) -> None:
    make_feature()
    make_place()
    places_etag = anon.get(tile_url("places"))["ETag"]
    make_feature(kerb="flush", kerb_height_cm=0)
    assert anon.get(tile_url("places"), HTTP_IF_NONE_MATCH=places_etag).status_code == 304


def test_a_repeated_request_is_served_from_the_tile_cache(anon, monkeypatch) -> None:
    make_feature()
    first = anon.get(tile_url("features"))
    builds = []
    monkeypatch.setattr(serving, "build_tile", lambda *args: builds.append(args) or b"")
    again = anon.get(tile_url("features"))
    assert builds == [] and again.content == first.content
    make_feature(kerb="flush", kerb_height_cm=0)  # a new version misses the cache
    anon.get(tile_url("features"))
    assert len(builds) == 1


def test_the_default_tile_cache_culls_only_now_and_then(tmp_path, monkeypatch) -> None:
    from tiles import cache as tile_cache

    cache = tile_cache.TileFileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 3}})
    monkeypatch.setattr(tile_cache.random, "randrange", lambda n: 1)  # not this write
    for i in range(10):
        cache.set(f"tile-{i}", b"\x1a\x02" * i)
    assert len(list(tmp_path.iterdir())) == 10  # no directory scan on these writes
    monkeypatch.setattr(tile_cache.random, "randrange", lambda n: 0)  # the occasional write
    cache.set("tile-10", b"\x1a")
    assert len(list(tmp_path.iterdir())) < 10
    assert cache.get("tile-10") == b"\x1a"
