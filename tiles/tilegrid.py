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
# Thinning cells are tiles of a deeper zoom (nested across zooms, fixed in Web Mercator); a
# feature's key is its corner's cell at this level (SQL ``tiles_grid_key``, migration 0003).
GRID_LEVEL = 24
# Features at most this many level-24 pixels across are found by key (one cell at z13); the
# larger ones by geometry (their corner may lie far from a tile they cross).
GRID_SMALL_SPAN_PX = 32

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

    def thinning_level(self) -> int:
        """Zoom of the grid whose tiles are this tile's thinning cells (``THIN_UNITS_LOW_ZOOM``
        tile units: 64 = 4096 / 2^6, so the cells of a z12 tile are the z18 tiles)."""
        units = THIN_UNITS_LOW_ZOOM if self.z < 14 else THIN_UNITS
        level = self.z + (EXTENT // units).bit_length() - 1
        if level > GRID_LEVEL:
            msg = f"No thinning grid at zoom {self.z}: cells finer than level {GRID_LEVEL}."
            raise ValueError(msg)
        return level

    def grid_key_ranges(self) -> tuple[list[int], list[int]]:
        """Half-open ranges of grid keys (:func:`grid_key`) of the features a thinned tile may
        draw: the tile's cells, its buffer, and on the west and north sides (a key is the
        feature's north-west corner) as many more cells as a small feature can span."""
        level = self.thinning_level()
        per_tile = 1 << (level - self.z)
        cell_px = 1 << (GRID_LEVEL - level)
        buffer_cells = -(-BUFFER * per_tile // EXTENT)
        reach_cells = -(-GRID_SMALL_SPAN_PX // cell_px)
        last = (1 << level) - 1
        x0 = max(self.x * per_tile - buffer_cells - reach_cells, 0)
        y0 = max(self.y * per_tile - buffer_cells - reach_cells, 0)
        x1 = min((self.x + 1) * per_tile - 1 + buffer_cells, last)
        y1 = min((self.y + 1) * per_tile - 1 + buffer_cells, last)
        return _merged(_cover(level, (x0, y0, x1, y1), self.z))


def grid_key(x: int, y: int, level: int = GRID_LEVEL) -> int:
    """Morton (Z-order) code of cell (x, y) at ``level``, scaled to the level-24 key space:
    the same code as SQL ``tiles_grid_key`` (tiles/migrations/0003), so a cell's features are
    the keys in ``[grid_key(x, y, level), grid_key(x + 1, y, level))`` when x is even."""
    code = 0
    for bit in range(level):
        code |= ((x >> bit) & 1) << (2 * bit) | ((y >> bit) & 1) << (2 * bit + 1)
    return code << (2 * (GRID_LEVEL - level))


def _cover(level: int, cells: Bounds, start: int) -> list[tuple[int, int]]:
    """Key ranges of the quadtree blocks exactly covering a rectangle of cells at ``level``
    (inclusive bounds), in key order, from the blocks of zoom ``start`` down."""
    x0, y0, x1, y1 = (int(v) for v in cells)
    ranges: list[tuple[int, int]] = []

    def visit(zoom: int, qx: int, qy: int) -> None:
        shift = level - zoom
        bx0, by0 = qx << shift, qy << shift
        bx1, by1 = bx0 + (1 << shift) - 1, by0 + (1 << shift) - 1
        if bx1 < x0 or bx0 > x1 or by1 < y0 or by0 > y1:
            return
        if bx0 >= x0 and bx1 <= x1 and by0 >= y0 and by1 <= y1:
            low = grid_key(qx, qy, zoom)
            ranges.append((low, low + (1 << (2 * (GRID_LEVEL - zoom)))))
            return
        for dy in (0, 1):
            for dx in (0, 1):
                visit(zoom + 1, 2 * qx + dx, 2 * qy + dy)

    shift = level - start
    blocks = [
        (qx, qy)
        for qy in range(y0 >> shift, (y1 >> shift) + 1)
        for qx in range(x0 >> shift, (x1 >> shift) + 1)
    ]
    for qx, qy in sorted(blocks, key=lambda b: grid_key(b[0], b[1], start)):
        visit(start, qx, qy)
    return ranges


def _merged(ranges: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    lows: list[int] = []
    highs: list[int] = []
    for low, high in ranges:
        if highs and highs[-1] == low:
            highs[-1] = high
        else:
            lows.append(low)
            highs.append(high)
    return lows, highs


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
