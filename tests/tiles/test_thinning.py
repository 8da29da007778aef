"""Crowded point layers are thinned below their ``thin_points_below_zoom``: one feature per grid
cell, the one with the lowest id among the features the layer shows; every feature from that
zoom on. TileJSON says so."""

from __future__ import annotations

import math

import pytest
from django.contrib.gis.geos import Point

from mapping.services import soft_delete
from tests.conftest import YEOUIDO, make_feature
from tests.tiles.conftest import by_id, decode, tile_url
from tiles.registry import get_layer
from tiles.tilegrid import lonlat_to_tile

pytestmark = pytest.mark.django_db

Z_THINNED = 12


def _in_cell(z: int, shift_x: int = 0) -> list[Point]:
    """Three points well inside one thinning cell of the demo point's tile at zoom ``z``
    (``shift_x`` cells to the east)."""
    dx, dy = lonlat_to_tile(*YEOUIDO, z).thinning_cell(geographic=True)
    lon0 = (math.floor(YEOUIDO[0] / dx) + shift_x + 0.5) * dx
    lat0 = (math.floor(YEOUIDO[1] / dy) + 0.5) * dy
    offsets = ((0.0, 0.0), (0.2, 0.1), (-0.2, -0.15))
    return [Point(lon0 + ox * dx, lat0 + oy * dy, srid=4326) for ox, oy in offsets]


def test_low_zoom_keeps_the_oldest_feature_of_each_cell(anon) -> None:
    crowded = [make_feature(geom=point) for point in _in_cell(Z_THINNED)]
    neighbour = [make_feature(geom=point) for point in _in_cell(Z_THINNED, shift_x=2)]
    url = tile_url("features", z=Z_THINNED, lonlat=(crowded[0].geom.x, crowded[0].geom.y))
    assert set(by_id(decode(anon.get(url), "features"))) == {crowded[0].pk, neighbour[0].pk}
    # From the layer's thinning zoom on, every feature is drawn.
    full_zoom = get_layer("features").thin_points_below_zoom
    url = tile_url("features", z=full_zoom, lonlat=(crowded[0].geom.x, crowded[0].geom.y))
    assert {f.pk for f in crowded} <= set(by_id(decode(anon.get(url), "features")))


def test_a_hidden_feature_never_stands_for_its_cell(anon) -> None:
    first, second, third = (make_feature(geom=point) for point in _in_cell(Z_THINNED))
    soft_delete(first)
    url = tile_url("features", z=Z_THINNED, lonlat=(second.geom.x, second.geom.y))
    features = by_id(decode(anon.get(url), "features"))
    assert set(features) == {second.pk}
    assert features[second.pk]["properties"]["kerb"] == "lowered"
    assert third.pk not in features


def test_tilejson_describes_the_thinning(anon) -> None:
    layer = anon.get("/tiles/features.json").json()["vector_layers"][0]
    assert layer["thinning"]["below_zoom"] == get_layer("features").thin_points_below_zoom
    assert "lowest id" in layer["thinning"]["rule"]
    assert "thinning" not in anon.get("/tiles/places.json").json()["vector_layers"][0]
