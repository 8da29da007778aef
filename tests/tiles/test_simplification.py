"""Lines and polygons lose detail at low zooms (simplified in the table's SRID), not at high ones."""

from __future__ import annotations

import math
import random
from datetime import timedelta

import pytest
from django.contrib.gis.geos import LineString, Polygon
from django.utils import timezone

from community.models import Campaign, Team
from tests.conftest import YEOUIDO, make_feature
from tests.tiles.conftest import decode, tile_url
from tiles.tilegrid import EARTH_RADIUS_M, lonlat_to_tile

pytestmark = pytest.mark.django_db


def _tile_centre(z: int) -> tuple[float, float]:
    minx, miny, maxx, maxy = lonlat_to_tile(*YEOUIDO, z).bounds()
    x, y = (minx + maxx) / 2, (miny + maxy) / 2
    lon = math.degrees(x / EARTH_RADIUS_M)
    lat = math.degrees(2 * math.atan(math.exp(y / EARTH_RADIUS_M)) - math.pi / 2)
    return lon, lat


def _wiggly_ring(vertices: int = 400, radius_m: float = 100, jitter_m: float = 1.5) -> Polygon:
    """A ring that fits inside the z16 tile of the demo point, with a small measured jitter."""
    rng = random.Random(7)
    lon0, lat0 = _tile_centre(16)
    m_per_deg_lat = 111_320
    m_per_deg_lon = m_per_deg_lat * math.cos(math.radians(lat0))
    points = []
    for i in range(vertices):
        angle = 2 * math.pi * i / vertices
        r = radius_m + rng.uniform(-jitter_m, jitter_m)
        points.append(
            (lon0 + r * math.cos(angle) / m_per_deg_lon, lat0 + r * math.sin(angle) / m_per_deg_lat)
        )
    polygon = Polygon([*points, points[0]])
    polygon.srid = 4326
    return polygon


def _vertices(response, layer: str) -> int:
    (feature,) = decode(response, layer)
    geometry = feature["geometry"]
    rings = geometry["coordinates"] if geometry["type"] == "Polygon" else [geometry["coordinates"]]
    return sum(len(ring) for ring in rings)


def test_polygons_are_simplified_by_zoom(anon) -> None:
    today = timezone.localdate()
    Campaign.objects.create(
        team=Team.objects.create(name="팀"),
        name="둘레 조사",
        area=_wiggly_ring(),
        target_types=["kerb"],
        starts_on=today,
        ends_on=today + timedelta(days=7),
    )
    detailed = _vertices(anon.get(tile_url("campaigns", z=16)), "campaigns")
    middle = _vertices(anon.get(tile_url("campaigns", z=14)), "campaigns")
    overview = _vertices(anon.get(tile_url("campaigns", z=12)), "campaigns")
    assert detailed > 300  # every measured vertex is kept close up
    assert overview < middle < detailed / 2  # the jitter is invisible further out and dropped
    assert overview < 30


def test_lines_in_a_point_layer_are_simplified_too(anon) -> None:
    lon0, lat0 = _tile_centre(16)
    # 150 vertices zigzagging 2 m either side of a 200 m line, inside the z16 tile.
    coords = [(lon0 - 0.001 + i * 0.000015, lat0 + (0.00002 if i % 2 else 0)) for i in range(150)]
    make_feature(
        feature_type="steps", kerb="", kerb_height_cm=None, geom=LineString(coords, srid=4326)
    )
    detailed = _vertices(anon.get(tile_url("features", z=16)), "features")
    overview = _vertices(anon.get(tile_url("features", z=13)), "features")
    assert detailed > 100
    assert overview <= 4
