"""The web-mercator tile grid (EPSG:3857, XYZ scheme): tile addresses, bounds and pixel sizes.

Pure arithmetic, no database: the tile envelope handed to PostGIS is computed here once per
request and passed as a parameter, so the feature filter can run in the table's own SRID.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from modugil.errors import InvalidInput

MERCATOR_SRID = 3857
EARTH_RADIUS_M = 6378137.0
ORIGIN_M = math.pi * EARTH_RADIUS_M  # half the width of the mercator plane
MAX_ZOOM = 24
# MVT geometry resolution and the margin drawn around each tile (in tile units), so that
# symbols and line caps near an edge are not cut off.
EXTENT = 4096
BUFFER = 64
# Douglas-Peucker tolerance in tile units: one screen pixel on a 512 px tile.
SIMPLIFY_UNITS = EXTENT / 512
# Crowded point layers keep one point per cell of this many tile units (8 px on a 512 px
# tile up to z13, 4 px at z14): the map looks the same, the tile is a fraction of the size.
THIN_UNITS_LOW_ZOOM, THIN_UNITS = 64, 32

Bounds = tuple[float, float, float, float]


@dataclass(frozen=True)
class Tile:
    z: int
    x: int
    y: int

    @classmethod
    def checked(cls, z: int, x: int, y: int) -> Tile:
        """A tile address, or ``InvalidInput`` naming the coordinate that is off the grid."""
        if not 0 <= z <= MAX_ZOOM:
            msg = f"Zoom must be between 0 and {MAX_ZOOM}."
            raise InvalidInput(msg, fields={"z": [msg]})
        side = 1 << z
        for name, value in (("x", x), ("y", y)):
            if not 0 <= value < side:
                msg = f"{name} must be between 0 and {side - 1} at zoom {z}."
                raise InvalidInput(msg, fields={name: [msg]})
        return cls(z, x, y)

    @property
    def size_m(self) -> float:
        """Width of the tile in mercator metres."""
        return 2 * ORIGIN_M / (1 << self.z)

    def bounds(self, margin_units: float = 0.0) -> Bounds:
        """(minx, miny, maxx, maxy) in EPSG:3857, grown by ``margin_units`` tile units each side."""
        size = self.size_m
        pad = size * margin_units / EXTENT
        minx = -ORIGIN_M + self.x * size
        maxy = ORIGIN_M - self.y * size
        return (minx - pad, maxy - size - pad, minx + size + pad, maxy + pad)

    def lonlat_bounds(self, margin_units: float = 0.0) -> Bounds:
        """(lon_min, lat_min, lon_max, lat_max) in WGS84, grown by ``margin_units`` tile units."""
        minx, miny, maxx, maxy = self.bounds(margin_units)
        return (*mercator_to_lonlat(minx, miny), *mercator_to_lonlat(maxx, maxy))

    @property
    def center_lat(self) -> float:
        n = math.pi * (1 - 2 * (self.y + 0.5) / (1 << self.z))
        return math.degrees(math.atan(math.sinh(n)))

    def ground_unit_m(self) -> float:
        """Ground metres covered by one tile unit at the tile's centre latitude."""
        return self.size_m / EXTENT * math.cos(math.radians(self.center_lat))

    def simplify_tolerance(self, *, geographic: bool) -> float:
        """Simplification tolerance in the table's units (degrees when ``geographic``, else metres)."""
        ground_m = self.ground_unit_m() * SIMPLIFY_UNITS
        if geographic:
            # Degrees of latitude: the shorter of the two degree lengths, so no axis loses detail.
            return math.degrees(ground_m / EARTH_RADIUS_M)
        return ground_m

    def thinning_cell(self, *, geographic: bool) -> tuple[float, float]:
        """(dx, dy) of the thinning grid in the table's units, at the tile's centre latitude."""
        units = THIN_UNITS_LOW_ZOOM if self.z < 14 else THIN_UNITS
        if not geographic:
            side = self.ground_unit_m() * units
            return side, side
        dx_deg = 360.0 / (1 << self.z) / EXTENT * units
        return dx_deg, dx_deg * math.cos(math.radians(self.center_lat))


def mercator_to_lonlat(x: float, y: float) -> tuple[float, float]:
    """EPSG:3857 metres to WGS84 degrees."""
    lon = math.degrees(x / EARTH_RADIUS_M)
    lat = math.degrees(2 * math.atan(math.exp(y / EARTH_RADIUS_M)) - math.pi / 2)
    return lon, lat


def lonlat_to_tile(lon: float, lat: float, z: int) -> Tile:
    """The tile containing a WGS84 point at zoom ``z`` (used for TileJSON centres and benchmarks)."""
    side = 1 << z
    x = int((lon + 180.0) / 360.0 * side)
    lat_r = math.radians(lat)
    y = int((1.0 - math.asinh(math.tan(lat_r)) / math.pi) / 2.0 * side)
    return Tile(z, min(max(x, 0), side - 1), min(max(y, 0), side - 1))
