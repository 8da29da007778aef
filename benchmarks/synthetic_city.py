"""Deterministic synthetic city: an OSM PBF plus a matching DEM GeoTIFF, of a chosen size.

A grid of streets in Korea (EPSG:5186 around 127.0 E, 37.40 N) with separately mapped sidewalks
on both sides, crossings near every junction (crossing node on the road, kerb nodes of several
kinds at both kerbs, some with ``kerb:height``), mid-block footpaths with steps, ramps,
escalators and elevator pairs over a footbridge, service alleys without sidewalks, varied
surfaces, smoothness, widths and lighting, and hills in the DEM (10 m cells). The same seed gives
byte-identical files, so modugil and every peer engine read the same data.

    python -m benchmarks.synthetic_city --edges 100000 --out benchmarks/work/city-100k

``--edges`` is the target number of graph segments (undirected edges) after modugil's build;
directed edges are about twice that. The manifest lists what was generated for checks.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import osmium
import rasterio
from pyproj import Transformer
from rasterio.transform import from_origin

CRS_EPSG = 5186
ORIGIN_LONLAT = (127.0, 37.40)
BLOCK_M = (110.0, 80.0)  # junction spacing east-west, north-south
SIDEWALK_OFFSET_M = 8.0
CROSSING_SETBACK_M = 12.0
KERB_OFFSET_M = 5.0
DEM_CELL_M = 10.0
SEGMENTS_PER_JUNCTION = 34  # measured on generated cities; sizes the grid for --edges

KERB_KINDS = ("lowered", "raised", "flush", "rolled", "barrier_only", "none")
KERB_WEIGHTS = (0.5, 0.15, 0.1, 0.05, 0.1, 0.1)
SURFACES = ("paving_stones", "asphalt", "concrete", "sett", "compacted", "gravel", "wood")
SURFACE_WEIGHTS = (0.45, 0.25, 0.15, 0.05, 0.04, 0.03, 0.03)
CROSSINGS = ("marked", "traffic_signals", "unmarked", "uncontrolled")
CROSSING_WEIGHTS = (0.45, 0.3, 0.15, 0.1)


@dataclass
class City:
    """Nodes (metric x, y in EPSG:5186) and ways being generated, with counters for the manifest."""

    rng: np.random.Generator
    xs: list[float] = field(default_factory=list)
    ys: list[float] = field(default_factory=list)
    node_tags: dict[int, dict[str, str]] = field(default_factory=dict)
    ways: list[tuple[list[int], dict[str, str]]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def node(self, x: float, y: float, tags: dict[str, str] | None = None) -> int:
        self.xs.append(x)
        self.ys.append(y)
        node_id = len(self.xs)
        if tags:
            self.node_tags[node_id] = tags
        return node_id

    def way(self, nodes: list[int], tags: dict[str, str], counter: str) -> None:
        self.ways.append((nodes, tags))
        self.count(counter)

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    def pick(self, values: tuple[str, ...], weights: tuple[float, ...]) -> str:
        return str(values[int(self.rng.choice(len(values), p=weights))])


def _sidewalk_tags(city: City) -> dict[str, str]:
    tags = {
        "highway": "footway",
        "footway": "sidewalk",
        "surface": city.pick(SURFACES, SURFACE_WEIGHTS),
    }
    if city.rng.random() < 0.6:
        tags["width"] = f"{city.rng.uniform(1.0, 3.5):.1f}"
    if city.rng.random() < 0.4:
        tags["smoothness"] = ("excellent", "good", "intermediate", "bad")[int(city.rng.integers(4))]
    if city.rng.random() < 0.7:
        tags["lit"] = "yes" if city.rng.random() < 0.85 else "no"
    return tags


def _kerb(city: City, x: float, y: float) -> int | None:
    kind = city.pick(KERB_KINDS, KERB_WEIGHTS)
    if kind == "none":
        return None
    tags = {"barrier": "kerb"}
    if kind != "barrier_only":
        tags["kerb"] = kind
    if kind in ("lowered", "raised") and city.rng.random() < 0.3:
        height = (
            city.rng.choice([0.02, 0.03, 0.04])
            if kind == "lowered"
            else city.rng.uniform(0.12, 0.18)
        )
        tags["kerb:height"] = f"{height:.2f}"
    if city.rng.random() < 0.5:
        tags["tactile_paving"] = "yes" if city.rng.random() < 0.7 else "no"
    city.count(f"kerb_{kind}")
    city.count("kerb_nodes")
    return city.node(x, y, tags)


def _crossing(
    city: City,
    side_a: int,
    center: int,
    side_b: int,
    a_xy: tuple[float, float],
    b_xy: tuple[float, float],
) -> None:
    """A crossing way side_a -> kerb -> center (on the road) -> kerb -> side_b."""
    cx, cy = city.xs[center - 1], city.ys[center - 1]
    share = KERB_OFFSET_M / SIDEWALK_OFFSET_M
    ka = _kerb(city, cx + (a_xy[0] - cx) * share, cy + (a_xy[1] - cy) * share)
    kb = _kerb(city, cx + (b_xy[0] - cx) * share, cy + (b_xy[1] - cy) * share)
    nodes = [side_a, *([ka] if ka else []), center, *([kb] if kb else []), side_b]
    kind = city.node_tags[center]["crossing"]
    tags = {"highway": "footway", "footway": "crossing", "crossing": kind, "surface": "asphalt"}
    if kind == "marked":
        tags["crossing:markings"] = "zebra"
    city.way(nodes, tags, "crossing_ways")


def _road_tags(j: int, horizontal: bool, city: City) -> dict[str, str]:
    line = j if horizontal else j + 1000
    highway = "secondary" if line % 10 == 0 else ("tertiary" if line % 5 == 0 else "residential")
    return {
        "highway": highway,
        "sidewalk": "separate",
        "surface": "asphalt",
        "name": f"{'Dong' if horizontal else 'Nam'}-ro {j}",
    }


def generate(nx: int, ny: int, *, seed: int = 42) -> City:
    """The street grid of ``nx`` x ``ny`` junctions with sidewalks, crossings and block paths."""
    city = City(rng=np.random.default_rng(seed))
    bx, by = BLOCK_M
    o, _c = SIDEWALK_OFFSET_M, CROSSING_SETBACK_M
    road = {(i, j): city.node(i * bx, j * by) for j in range(ny) for i in range(nx)}
    corner = {
        (i, j, dx, dy): city.node(i * bx + dx * o, j * by + dy * o)
        for j in range(ny)
        for i in range(nx)
        for dx in (-1, 1)
        for dy in (-1, 1)
    }
    blocks = {(i, j): _block_plan(city) for j in range(ny - 1) for i in range(nx - 1)}
    for j in range(ny):
        for i in range(nx - 1):
            _link(city, road, corner, blocks, i, j, horizontal=True)
    for i in range(nx):
        for j in range(ny - 1):
            _link(city, road, corner, blocks, i, j, horizontal=False)
    for (i, j), plan in blocks.items():
        _block_path(city, plan, i, j)
    return city


def _block_plan(city: City) -> dict[str, Any]:
    roll = city.rng.random()
    kind = (
        "steps"
        if roll < 0.12
        else "ramp"
        if roll < 0.2
        else "elevator"
        if roll < 0.23
        else "escalator"
        if roll < 0.25
        else "alley"
        if roll < 0.35
        else "footway"
        if roll < 0.5
        else None
    )
    return {"kind": kind, "nodes": {}}


def _link(
    city: City, road: dict, corner: dict, blocks: dict, i: int, j: int, *, horizontal: bool
) -> None:
    """A street between two junctions: the road with two crossing nodes, a sidewalk on each
    side, and the two crossings with their kerbs. Coordinates are built as (along, across)."""
    along_m = BLOCK_M[0] if horizontal else BLOCK_M[1]
    o, c = SIDEWALK_OFFSET_M, CROSSING_SETBACK_M
    start = (i * BLOCK_M[0], j * BLOCK_M[1])
    end_key = (i + 1, j) if horizontal else (i, j + 1)

    def xy(along: float, across: float) -> tuple[float, float]:
        if horizontal:
            return start[0] + along, start[1] + across
        return start[0] + across, start[1] + along

    centers = []
    for along in (c, along_m - c):
        kind = city.pick(CROSSINGS, CROSSING_WEIGHTS)
        centers.append(city.node(*xy(along, 0), {"highway": "crossing", "crossing": kind}))
    tags = _road_tags(j if horizontal else i, horizontal, city)
    city.way([road[i, j], *centers, road[end_key]], tags, "road_ways")
    sides = {}
    for side in (1, -1):
        attach = [city.node(*xy(c, side * o)), city.node(*xy(along_m - c, side * o))]
        middle = []
        if horizontal:  # a block path runs north-south from mid-sidewalk; an alley east-west
            block, wanted, end = (
                blocks.get((i, j if side == 1 else j - 1)),
                "path",
                ("south", "north"),
            )
        else:
            block, wanted, end = (
                blocks.get((i if side == 1 else i - 1, j)),
                "alley",
                ("west", "east"),
            )
        if block and (block["kind"] == "alley") == (wanted == "alley") and block["kind"]:
            mid = city.node(*xy(along_m / 2, side * o))
            block["nodes"][end[0] if side == 1 else end[1]] = mid
            middle = [mid]
        if horizontal:
            first, last = corner[i, j, 1, side], corner[i + 1, j, -1, side]
        else:
            first, last = corner[i, j, side, 1], corner[i, j + 1, side, -1]
        city.way(
            [first, attach[0], *middle, attach[1], last], _sidewalk_tags(city), "sidewalk_ways"
        )
        sides[side] = attach
    for k, center in enumerate(centers):
        along = (c, along_m - c)[k]
        _crossing(city, sides[1][k], center, sides[-1][k], xy(along, o), xy(along, -o))


def _block_path(city: City, plan: dict[str, Any], i: int, j: int) -> None:
    """The block's inner path: steps, a ramp, an elevator pair, an escalator, an alley or a footway."""
    kind, ends = plan["kind"], plan["nodes"]
    if kind is None:
        return
    if kind == "alley":
        tags = {"highway": "service", "service": "alley", "sidewalk": "no", "surface": "concrete"}
        city.way([ends["west"], ends["east"]], tags, "alley_ways")
        return
    a, b = ends["south"], ends["north"]
    ax, ay, by_ = city.xs[a - 1], city.ys[a - 1], city.ys[b - 1]
    p1, p2 = city.node(ax, ay + (by_ - ay) / 3), city.node(ax, ay + 2 * (by_ - ay) / 3)
    footway = {"highway": "footway", "surface": city.pick(SURFACES, SURFACE_WEIGHTS)}
    city.way([a, p1], footway, "footway_ways")
    city.way([p2, b], footway, "footway_ways")
    middle: dict[str, str]
    if kind == "steps":
        middle = {
            "highway": "steps",
            "step_count": str(int(city.rng.integers(3, 40))),
            "incline": "up",
        }
        if city.rng.random() < 0.7:
            middle["handrail"] = "yes" if city.rng.random() < 0.8 else "no"
        middle["ramp:wheelchair"] = ("yes", "no", "separate")[int(city.rng.integers(3))]
        city.way([p1, p2], middle, "steps_ways")
    elif kind == "escalator":
        middle = {"highway": "steps", "conveying": "forward", "incline": "up"}
        city.way([p1, p2], middle, "escalator_ways")
    elif kind == "ramp":
        middle = {
            "highway": "footway",
            "incline": f"{city.rng.choice([5, 6, 8, 10, 12])}%",
            "surface": "concrete",
        }
        if city.rng.random() < 0.5:
            middle["width"] = f"{city.rng.uniform(1.2, 2.0):.1f}"
        city.way([p1, p2], middle, "ramp_ways")
    else:  # elevator pair up to a footbridge and down again, or a plain footway
        if kind == "elevator":
            city.node_tags[p1] = {"highway": "elevator", "wheelchair": "yes"}
            city.node_tags[p2] = {"highway": "elevator", "wheelchair": "yes"}
            city.count("elevator_nodes", 2)
            bridge = {"highway": "footway", "bridge": "yes", "layer": "1", "surface": "metal"}
            city.way([p1, p2], bridge, "bridge_ways")
        else:
            city.way([p1, p2], footway, "footway_ways")


def dem_heights(
    x: np.ndarray, y: np.ndarray, *, seed: int, extent: tuple[float, float, float, float]
) -> np.ndarray:
    """Hills: a sum of Gaussian bumps plus a gentle tilt, deterministic for the seed."""
    rng = np.random.default_rng(seed + 1)
    x0, y0, x1, y1 = extent
    area_km2 = max(1.0, (x1 - x0) * (y1 - y0) / 1e6)
    hills = max(3, int(area_km2 / 2))
    cx, cy = rng.uniform(x0, x1, hills), rng.uniform(y0, y1, hills)
    height, sigma = rng.uniform(15, 60, hills), rng.uniform(150, 600, hills)
    z = 20 + 0.002 * (x - x0) + 0.001 * (y - y0)
    for k in range(hills):
        z = z + height[k] * np.exp(-((x - cx[k]) ** 2 + (y - cy[k]) ** 2) / (2 * sigma[k] ** 2))
    return z.astype(np.float32)


def write_dem(path: Path, extent: tuple[float, float, float, float], *, seed: int) -> None:
    margin = 200.0
    x0, y0, x1, y1 = extent[0] - margin, extent[1] - margin, extent[2] + margin, extent[3] + margin
    width, height = math.ceil((x1 - x0) / DEM_CELL_M), math.ceil((y1 - y0) / DEM_CELL_M)
    xs = x0 + (np.arange(width) + 0.5) * DEM_CELL_M
    rows = []
    for r in range(height):  # row by row keeps memory flat for big cities
        y = y1 - (r + 0.5) * DEM_CELL_M
        rows.append(dem_heights(xs, np.full(width, y), seed=seed, extent=extent))
    profile = {
        "driver": "GTiff",
        "width": width,
        "height": height,
        "count": 1,
        "dtype": "float32",
        "crs": f"EPSG:{CRS_EPSG}",
        "transform": from_origin(x0, y1, DEM_CELL_M, DEM_CELL_M),
        "nodata": -9999.0,
        "compress": "deflate",
        "tiled": True,
    }
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(np.vstack(rows), 1)


def write_pbf(city: City, path: Path, *, seed: int) -> None:
    to_lonlat = Transformer.from_crs(CRS_EPSG, 4326, always_xy=True)
    origin_x, origin_y = Transformer.from_crs(4326, CRS_EPSG, always_xy=True).transform(
        *ORIGIN_LONLAT
    )
    lon, lat = to_lonlat.transform(np.asarray(city.xs) + origin_x, np.asarray(city.ys) + origin_y)
    path.unlink(missing_ok=True)
    rng = np.random.default_rng(seed + 2)
    base = datetime(2014, 1, 1, tzinfo=UTC).timestamp()
    writer = osmium.SimpleWriter(str(path))
    try:
        for index, (x, y) in enumerate(
            zip(np.round(lon, 7).tolist(), np.round(lat, 7).tolist(), strict=True)
        ):
            node_id = index + 1
            writer.add_node(
                osmium.osm.mutable.Node(
                    id=node_id, version=1, location=(x, y), tags=city.node_tags.get(node_id, {})
                )
            )
        for way_id, (nodes, tags) in enumerate(city.ways, start=1):
            stamp = datetime.fromtimestamp(base + float(rng.uniform(0, 11 * 365 * 86400)), tz=UTC)
            writer.add_way(
                osmium.osm.mutable.Way(
                    id=way_id, version=1, timestamp=stamp, nodes=nodes, tags=tags
                )
            )
    finally:
        writer.close()


def grid_for(edges: int) -> tuple[int, int]:
    """Junction grid (nx, ny) giving about ``edges`` segments."""
    n = max(2, round(math.sqrt(edges / SEGMENTS_PER_JUNCTION)))
    return n, n


def make_city(out: Path, *, edges: int, seed: int = 42) -> dict[str, Any]:
    """Write ``city.osm.pbf``, ``city_dem_epsg5186.tif`` and ``manifest.json`` into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    nx, ny = grid_for(edges)
    city = generate(nx, ny, seed=seed)
    origin_x, origin_y = Transformer.from_crs(4326, CRS_EPSG, always_xy=True).transform(
        *ORIGIN_LONLAT
    )
    extent = (
        origin_x,
        origin_y,
        origin_x + (nx - 1) * BLOCK_M[0],
        origin_y + (ny - 1) * BLOCK_M[1],
    )
    pbf, dem = out / "city.osm.pbf", out / "city_dem_epsg5186.tif"
    write_pbf(city, pbf, seed=seed)
    write_dem(dem, extent, seed=seed)
    manifest = {
        "seed": seed,
        "target_edges": edges,
        "grid": [nx, ny],
        "nodes": len(city.xs),
        "ways": len(city.ways),
        "counts": dict(sorted(city.counts.items())),
        "pbf": pbf.name,
        "pbf_sha256": hashlib.sha256(pbf.read_bytes()).hexdigest(),
        "dem": dem.name,
        "dem_cell_m": DEM_CELL_M,
        "crs": f"EPSG:{CRS_EPSG}",
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--edges", type=int, default=100_000, help="target graph segments")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    print(json.dumps(make_city(args.out, edges=args.edges, seed=args.seed), indent=1))


if __name__ == "__main__":
    main()
