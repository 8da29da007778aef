"""The fallback that needs no key: addresses matched against what the database already holds."""

from __future__ import annotations

import math
from collections import defaultdict
from typing import cast

from django.contrib.gis.geos import Point

from importers.geocoding.address import normalize_address
from importers.geocoding.base import GeocodeResult
from importers.records import Geometry, LonLat
from mapping.models import DisabledParkingSpot, Place

# Records at one address further apart than this are different buildings: no answer.
AGREEMENT_M = 100.0


def _distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat = math.radians((a[1] + b[1]) / 2)
    dx = (a[0] - b[0]) * 111_320 * math.cos(lat)
    dy = (a[1] - b[1]) * 110_540
    return math.hypot(dx, dy)


class LocalGeocoder:
    """Exact match of the normalised address against places and parking already stored, plus
    every located row of the running import (``learn``)."""

    name = "local"

    def __init__(self) -> None:
        self._index: dict[str, list[tuple[float, float]]] | None = None

    def _load(self) -> dict[str, list[tuple[float, float]]]:
        index: dict[str, list[tuple[float, float]]] = defaultdict(list)
        for model in (Place, DisabledParkingSpot):
            rows = model.objects.exclude(address="").values_list("address", "geom")
            for address, geom in rows.iterator(chunk_size=5000):
                point = geom.centroid if geom.geom_type != "Point" else geom
                index[normalize_address(address)].append((point.x, point.y))
        return index

    def learn(self, address: str, geom: Geometry) -> None:
        if self._index is None:
            self._index = self._load()
        point = geom if isinstance(geom, LonLat | Point) else cast(Point, geom.centroid)
        self._index[normalize_address(address)].append((point.x, point.y))

    def geocode(self, address: str) -> GeocodeResult | None:
        if self._index is None:
            self._index = self._load()
        points = self._index.get(normalize_address(address))
        if not points:
            return None
        lon = sum(p[0] for p in points) / len(points)
        lat = sum(p[1] for p in points) / len(points)
        if any(_distance_m((lon, lat), p) > AGREEMENT_M for p in points):
            return None
        return GeocodeResult(lon, lat, self.name, normalize_address(address))
