"""Crowded point layers are thinned below their ``thin_points_below_zoom``: one feature per grid
cell (the cell of its bounding box's north-west corner in a Web Mercator grid nested across
zooms), the one with the lowest id among the permanent features the layer shows (active
temporary obstacles are all drawn); every feature from that zoom on. TileJSON says so."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.gis.geos import LineString, Point
from django.db import connection
from django.utils import timezone

from mapping.services import soft_delete
from tests.conftest import YEOUIDO, make_feature
from tests.tiles.conftest import by_id, decode, tile_url
from tiles.registry import get_layer
from tiles.tilegrid import GRID_LEVEL, Tile, grid_key, lonlat_to_tile

pytestmark = pytest.mark.django_db

Z_THINNED = 12


def _cell(z: int, shift_x: int = 0) -> Tile:
    """The thinning cell (a tile of a deeper zoom) of the demo point at zoom ``z``."""
    level = lonlat_to_tile(*YEOUIDO, z).thinning_level()
    cell = lonlat_to_tile(*YEOUIDO, level)
    return Tile(level, cell.x + shift_x, cell.y)


def _in_cell(z: int, shift_x: int = 0) -> list[Point]:
    """Three points well inside one thinning cell of the demo point's tile at zoom ``z``
    (``shift_x`` cells to the east)."""
    west, south, east, north = _cell(z, shift_x).lonlat_bounds()
    fractions = ((0.5, 0.5), (0.7, 0.6), (0.3, 0.35))
    return [
        Point(west + fx * (east - west), south + fy * (north - south), srid=4326)
        for fx, fy in fractions
    ]


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
    assert layer["thinning"]["grid"]["cell_zoom_offset"] == 6
    assert "thinning" not in anon.get("/tiles/places.json").json()["vector_layers"][0]


def test_an_expired_obstacle_never_stands_for_its_cell(anon) -> None:
    expired, active = (make_feature(geom=point) for point in _in_cell(Z_THINNED)[:2])
    expired.is_temporary, expired.expires_at = True, timezone.now() - timedelta(hours=1)
    expired.save()
    url = tile_url("features", z=Z_THINNED, lonlat=(active.geom.x, active.geom.y))
    assert set(by_id(decode(anon.get(url), "features"))) == {active.pk}


def test_a_moved_feature_leaves_its_cell_on_the_next_request(anon) -> None:
    first, second, _ = (make_feature(geom=point) for point in _in_cell(Z_THINNED))
    url = tile_url("features", z=Z_THINNED, lonlat=(first.geom.x, first.geom.y))
    assert set(by_id(decode(anon.get(url), "features"))) == {first.pk}
    first.geom = _in_cell(Z_THINNED, shift_x=2)[0]
    first.save()
    assert set(by_id(decode(anon.get(url), "features"))) == {first.pk, second.pk}


def test_a_long_line_crossing_the_tile_is_drawn_although_its_corner_is_far(anon) -> None:
    # Steps drawn as a line from three tiles west into the tile: its corner's cell lies far
    # outside the tile's key ranges, the line is found by its geometry.
    tile = lonlat_to_tile(*YEOUIDO, Z_THINNED)
    west, south, east, north = tile.lonlat_bounds()
    middle_lat = (south + north) / 2
    far_west = west - 3 * (east - west)
    steps = make_feature(
        feature_type="steps",
        kerb="",
        geom=LineString((far_west, middle_lat), ((west + east) / 2, middle_lat), srid=4326),
    )
    url = tile_url("features", z=Z_THINNED, lonlat=YEOUIDO)
    assert steps.pk in by_id(decode(anon.get(url), "features"))


def test_a_short_line_reaching_into_the_buffer_from_the_north_west_is_drawn(anon) -> None:
    # At z13 a short line (at most one cell across) may start in the cell beyond the buffer.
    z = 13
    tile = lonlat_to_tile(*YEOUIDO, z)
    cell_w, _, cell_e, _ = Tile(tile.thinning_level(), 0, 0).lonlat_bounds()
    cell = cell_e - cell_w
    west, south, _, north = tile.lonlat_bounds()
    lat = (south + north) / 2
    line = LineString((west - 1.6 * cell, lat), (west - 0.8 * cell, lat), srid=4326)
    ramp = make_feature(feature_type="ramp", kerb="", geom=line)
    url = tile_url("features", z=z, lonlat=YEOUIDO)
    assert ramp.pk in by_id(decode(anon.get(url), "features"))


def test_grid_keys_match_the_database_function() -> None:
    with connection.cursor() as cursor:
        for lon, lat in (YEOUIDO, (-70.6, -33.4), (179.99, 84.0)):
            cursor.execute(
                "SELECT tiles_grid_key(ST_SetSRID(ST_MakePoint(%s, %s), 4326), 32)", [lon, lat]
            )
            pixel = lonlat_to_tile(lon, lat, GRID_LEVEL)
            assert cursor.fetchone()[0] == grid_key(pixel.x, pixel.y)


def test_key_ranges_cover_the_tile_its_buffer_and_the_reach_of_small_features() -> None:
    tile = lonlat_to_tile(*YEOUIDO, Z_THINNED)
    lows, highs = tile.grid_key_ranges()
    level = tile.thinning_level()
    shift = 2 * (GRID_LEVEL - level)

    def covered(cx: int, cy: int) -> bool:
        key = grid_key(cx, cy, level)
        return any(low <= key < high for low, high in zip(lows, highs, strict=True))

    side = 1 << (level - tile.z)
    x0, y0 = tile.x * side, tile.y * side
    # The tile, one buffer cell on each side and one more cell west and north (z12 cells are
    # wider than a small feature): 67 x 67 cells, nothing else.
    inside = {(x, y) for x in range(x0 - 2, x0 + side + 1) for y in range(y0 - 2, y0 + side + 1)}
    around = {(x, y) for x in range(x0 - 4, x0 + side + 3) for y in range(y0 - 4, y0 + side + 3)}
    assert {cell for cell in around if covered(*cell)} == inside
    assert all((high - low) % (1 << shift) == 0 for low, high in zip(lows, highs, strict=True))
