"""The representatives table that thinned tiles read is kept right by the database itself:
after any insert, edit, move, soft or hard delete, bulk load, or two writers at once, it holds
exactly the lowest-id active permanent feature of each thinning cell, with its current
attributes; active temporary obstacles are drawn beside them on every zoom."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.utils import timezone

from mapping.models import AccessibilityFeature
from mapping.services import soft_delete
from tests.conftest import YEOUIDO, make_feature
from tests.tiles.conftest import by_id, decode, tile_url
from tiles.models import FeatureRepresentative
from tiles.registry import get_layer
from tiles.tilegrid import GRID_LEVEL, Tile, lonlat_to_tile

pytestmark = pytest.mark.django_db

# The thinning levels migration 0004 keeps (z12 and z13 tiles' cells).
LEVELS = (18, 19)


def _points(count: int, step_deg: float = 0.0004) -> list[Point]:
    """Points on a diagonal from Yeouido, a few level-19 cells (~60 m) apart."""
    lon, lat = YEOUIDO
    return [Point(lon + i * step_deg, lat - i * step_deg, srid=4326) for i in range(count)]


def expected_representatives() -> dict[int, int]:
    """Feature id -> level, recomputed from scratch in Python from the features table."""
    winners: dict[tuple[int, int, int], int] = {}
    features = AccessibilityFeature.objects.filter(is_temporary=False)
    for feature in features.only("id", "geom"):
        west, _, _, north = feature.geom.extent
        for level in LEVELS:
            cell = lonlat_to_tile(west, north, level)
            key = (level, cell.x, cell.y)
            winners[key] = min(winners.get(key, feature.pk), feature.pk)
    levels: dict[int, int] = {}
    for (level, _, _), feature_id in sorted(winners.items(), reverse=True):
        levels[feature_id] = level
    return levels


def stored_representatives() -> dict[int, int]:
    return dict(FeatureRepresentative.objects.values_list("id", "level"))


def test_every_kind_of_write_keeps_the_table_exact() -> None:
    # Four features per level-19 cell in eight cells, in two level-18 cells or more.
    features = [make_feature(geom=point) for point in _points(8) for _ in range(4)]
    assert stored_representatives() == expected_representatives()
    AccessibilityFeature.objects.bulk_create(
        [
            AccessibilityFeature(feature_type="kerb", geom=p, source="survey", confidence=0.5)
            for p in _points(12)
        ]
    )
    assert stored_representatives() == expected_representatives()
    soft_delete(features[0])  # a winner leaves: the next id in its cell takes over
    features[5].geom = _points(20)[19]  # moved far away, into a cell of its own
    features[5].save()
    features[9].is_temporary, features[9].expires_at = True, timezone.now() + timedelta(days=1)
    features[9].save()
    AccessibilityFeature.all_objects.filter(pk=features[12].pk).delete()  # a hard delete
    assert stored_representatives() == expected_representatives()
    assert features[1].pk in stored_representatives()


def test_a_winners_new_attributes_are_copied_and_drawn(anon) -> None:
    feature = make_feature()
    url = tile_url("features", z=12, lonlat=YEOUIDO)
    assert by_id(decode(anon.get(url), "features"))[feature.pk]["properties"]["kerb"] == "lowered"
    feature.kerb, feature.kerb_height_cm = "raised", 12.0
    feature.save()
    properties = by_id(decode(anon.get(url), "features"))[feature.pk]["properties"]
    assert (properties["kerb"], properties["kerb_height_cm"]) == ("raised", 12.0)
    assert FeatureRepresentative.objects.get(pk=feature.pk).kerb == "raised"


def test_vote_counters_alone_do_not_rewrite_the_table() -> None:
    feature = make_feature()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT xmin::text FROM tiles_featurerepresentative WHERE id = %s", [feature.pk]
        )
        before = cursor.fetchone()[0]
        AccessibilityFeature.objects.filter(pk=feature.pk).update(agree_count=3)
        cursor.execute(
            "SELECT xmin::text FROM tiles_featurerepresentative WHERE id = %s", [feature.pk]
        )
        assert cursor.fetchone()[0] == before


def test_an_active_temporary_obstacle_is_drawn_beside_its_cells_winner(anon) -> None:
    winner = make_feature()
    obstacle = make_feature(
        feature_type="obstacle",
        kerb="",
        is_temporary=True,
        expires_at=timezone.now() + timedelta(hours=2),
    )
    url = tile_url("features", z=12, lonlat=YEOUIDO)
    features = by_id(decode(anon.get(url), "features"))
    assert set(features) == {winner.pk, obstacle.pk}
    assert "kerb" not in features[obstacle.pk]["properties"]  # blank: unknown, absent
    assert not FeatureRepresentative.objects.filter(pk=obstacle.pk).exists()


def test_the_table_carries_the_layers_attributes_with_the_features_column_types() -> None:
    layer = get_layer("features")
    assert layer.representatives is FeatureRepresentative
    for name in layer.attributes:
        copy = FeatureRepresentative._meta.get_field(name)
        source = AccessibilityFeature._meta.get_field(name)
        assert copy.db_type(connection) == source.db_type(connection), name
    # The levels the triggers keep are the thinning levels of the zooms the layer thins.
    zooms = range(layer.minzoom, layer.thin_points_below_zoom)
    assert sorted(Tile(z, 0, 0).thinning_level() for z in zooms) == list(LEVELS)
    assert max(LEVELS) <= GRID_LEVEL


def test_a_load_that_skipped_the_triggers_is_repaired_by_the_rebuild_command() -> None:
    make_feature()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        AccessibilityFeature.objects.bulk_create(
            [
                AccessibilityFeature(feature_type="kerb", geom=p, source="import", confidence=0.5)
                for p in _points(6, step_deg=0.001)
            ]
        )
        cursor.execute("SET LOCAL session_replication_role = origin")
    assert stored_representatives() != expected_representatives()
    out = StringIO()
    call_command("rebuild_tile_representatives", stdout=out)
    assert stored_representatives() == expected_representatives()
    assert f"{len(expected_representatives())} representatives kept" in out.getvalue()


def test_truncating_the_features_empties_the_table() -> None:
    make_feature()
    assert FeatureRepresentative.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks left to truncate
        cursor.execute("TRUNCATE mapping_accessibilityfeature CASCADE")
    assert not FeatureRepresentative.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_writers_in_the_same_cell_at_once_leave_it_exact() -> None:
    # The first adds a feature to a cell and keeps its transaction open; the second adds one
    # to the same cell meanwhile. Its trigger waits for the first to commit, then recomputes
    # the cell with both (without that wait it would copy the winner a second time).
    make_feature()
    started, results = threading.Barrier(2), []

    def writer(offset_deg: float, wait_s: float, hold_s: float) -> None:
        try:
            connection.ensure_connection()  # this thread's own connection, opened beforehand
            started.wait(timeout=10)
            time.sleep(wait_s)
            with transaction.atomic():
                make_feature(geom=Point(YEOUIDO[0] + offset_deg, YEOUIDO[1], srid=4326))
                time.sleep(hold_s)
            results.append(offset_deg)
        finally:
            connections.close_all()

    plans = ((0.00001, 0.0, 0.5), (0.00002, 0.2, 0.0))
    threads = [threading.Thread(target=writer, args=plan) for plan in plans]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == [0.00001, 0.00002]
    assert stored_representatives() == expected_representatives()
    first = AccessibilityFeature.objects.order_by("pk").first()
    assert first is not None
    assert stored_representatives()[first.pk] == min(LEVELS)
