"""Elevation-derived grades: sample every <= 5 m along each edge in a metric CRS.

For every segment we keep

* ``grade_mean_pct``: (elevation at the end - at the start) / ``length_m`` x 100, signed;
* ``grade_max_up_pct`` / ``grade_max_down_pct``: the steepest window of about 10 m climbing /
  descending (Project Sidewalk samples every 5 m the same way; AccessMap only looks at the two
  end points, OpenTripPlanner every 10 m);
* ``grade_source`` and ``grade_confidence``.

Bridges, tunnels, covered and indoor ways are skipped (``grade_source = structure``): the DEM is
the ground, not the deck. Elevation is interpolated bilinearly between DEM cell centres.
Confidence says how far the DEM can be trusted for a short path: ``min(1, 10 m / cell size)``
scaled down for edges shorter than a cell. With the 90 m Seoul DEM that is about 0.06-0.11:
good enough to avoid a hill, not to judge one ramp.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import rasterio
from django.conf import settings
from pyproj import CRS, Transformer
from pyproj.aoi import AreaOfInterest
from pyproj.database import query_utm_crs_info
from rasterio.windows import Window, from_bounds

from importers.base import file_sha256
from modugil.geo import in_service_area
from routing.graph.contract import GRADE_SOURCE, KIND
from routing.graph.graph import PedestrianGraph

SAMPLE_M = 5.0
WINDOW_M = 10.0
MARGIN_CELLS = 2


@dataclass
class Dem:
    """A DEM window in memory: elevations (NaN = no data) and where they are."""

    path: Path
    crs: CRS
    transform: rasterio.Affine
    elevation_m: np.ndarray
    cell_size_m: float
    sha256: str


def open_dem(path: Path, bbox: tuple[float, float, float, float]) -> Dem:
    """Read the part of the DEM covering ``bbox`` (lon_min, lat_min, lon_max, lat_max)."""
    with rasterio.open(path) as src:
        if src.crs is None or not src.crs.is_projected:
            msg = f"{path}: the DEM needs a projected (metric) CRS, got {src.crs}"
            raise ValueError(msg)
        crs = CRS.from_wkt(src.crs.to_wkt())
        to_dem = Transformer.from_crs(4326, crs, always_xy=True)
        xs, ys = to_dem.transform(
            [bbox[0], bbox[2], bbox[0], bbox[2]], [bbox[1], bbox[1], bbox[3], bbox[3]]
        )
        window = from_bounds(min(xs), min(ys), max(xs), max(ys), src.transform)
        window = (
            Window(
                window.col_off - MARGIN_CELLS,
                window.row_off - MARGIN_CELLS,
                window.width + 2 * MARGIN_CELLS,
                window.height + 2 * MARGIN_CELLS,
            )
            .round_offsets()
            .round_lengths()
        )
        window = window.intersection(Window(0, 0, src.width, src.height))
        data = src.read(1, window=window, masked=True).astype(np.float32).filled(np.nan)
        transform = src.window_transform(window)
        cell = float(max(abs(src.transform.a), abs(src.transform.e)))
    return Dem(path, crs, transform, data, cell, file_sha256(path))


def metric_crs(lon: float, lat: float) -> CRS:
    """Korea: the project's metric CRS (EPSG:5179); elsewhere the local UTM zone, never a fixed one."""
    if in_service_area(lon, lat):
        return CRS.from_epsg(settings.METRIC_SRID)
    info = query_utm_crs_info(
        datum_name="WGS 84", area_of_interest=AreaOfInterest(lon, lat, lon, lat)
    )
    return CRS.from_epsg(int(info[0].code))


def bilinear(dem: Dem, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Elevation at DEM-CRS coordinates, interpolated between cell centres; NaN outside or no data."""
    inverse = ~dem.transform
    col, row = inverse @ (x, y)
    col, row = np.asarray(col) - 0.5, np.asarray(row) - 0.5
    c0, r0 = np.floor(col).astype(np.int64), np.floor(row).astype(np.int64)
    height, width = dem.elevation_m.shape
    inside = (c0 >= 0) & (r0 >= 0) & (c0 + 1 < width) & (r0 + 1 < height)
    c0, r0 = np.where(inside, c0, 0), np.where(inside, r0, 0)
    fx, fy = col - c0, row - r0
    z = dem.elevation_m
    top = z[r0, c0] * (1 - fx) + z[r0, c0 + 1] * fx
    bottom = z[r0 + 1, c0] * (1 - fx) + z[r0 + 1, c0 + 1] * fx
    return np.where(inside, top * (1 - fy) + bottom * fy, np.nan)


def _samples(
    x: np.ndarray, y: np.ndarray, offsets: np.ndarray, sample_m: float
) -> tuple[np.ndarray, ...]:
    """Points every <= ``sample_m`` along each polyline; returns (x, y, per-segment offsets, spacing)."""
    pair = np.hypot(np.diff(x), np.diff(y))
    pair[offsets[1:-1] - 1] = 0.0
    along = np.concatenate([[0.0], np.cumsum(pair)])
    start = along[offsets[:-1]]
    length = along[offsets[1:] - 1] - start
    count = np.maximum(2, np.ceil(length / sample_m).astype(np.int64) + 1)
    spacing = length / (count - 1)
    sample_offsets = np.zeros(len(count) + 1, dtype=np.int64)
    np.cumsum(count, out=sample_offsets[1:])
    segment = np.repeat(np.arange(len(count)), count)
    step = np.arange(sample_offsets[-1]) - sample_offsets[:-1][segment]
    distance = start[segment] + spacing[segment] * step
    index = np.searchsorted(along, distance, side="right") - 1
    index = np.clip(index, offsets[:-1][segment], offsets[1:][segment] - 2)
    run = along[index + 1] - along[index]
    t = np.divide(distance - along[index], run, out=np.zeros_like(run), where=run > 0)
    t = np.clip(t, 0.0, 1.0)
    sx = x[index] + t * (x[index + 1] - x[index])
    sy = y[index] + t * (y[index + 1] - y[index])
    return sx, sy, sample_offsets, spacing


def window_grades(
    z: np.ndarray, sample_offsets: np.ndarray, spacing: np.ndarray, window_m: float
) -> tuple[np.ndarray, np.ndarray]:
    """Steepest climb and descent (% , >= 0) over windows of about ``window_m`` per segment.

    A segment shorter than the window gets one window over its whole length. Any missing
    elevation makes both values NaN (unknown, never flat).
    """
    count = np.diff(sample_offsets)
    safe = np.where(spacing > 0, spacing, 1.0)
    width = np.clip(np.rint(window_m / safe).astype(np.int64), 1, count - 1)
    windows = count - width
    segment = np.repeat(np.arange(len(count)), windows)
    window_offsets = np.zeros(len(count) + 1, dtype=np.int64)
    np.cumsum(windows, out=window_offsets[1:])
    first = sample_offsets[:-1][segment] + (
        np.arange(window_offsets[-1]) - window_offsets[:-1][segment]
    )
    rise = z[first + width[segment]] - z[first]
    run = width[segment] * spacing[segment]
    grade = np.divide(rise, run, out=np.zeros_like(rise), where=run > 0) * 100
    up = np.maximum.reduceat(grade, window_offsets[:-1])
    down = np.maximum.reduceat(-grade, window_offsets[:-1])
    return np.maximum(up, 0.0), np.maximum(down, 0.0)


def grade_confidence(length_m: np.ndarray, cell_size_m: float) -> np.ndarray:
    """0..1: fine DEMs score 1; coarse cells and edges shorter than a cell score low."""
    resolution = min(1.0, 10.0 / cell_size_m)
    coverage = np.minimum(1.0, length_m / cell_size_m)
    return (resolution * (0.5 + 0.5 * coverage)).astype(np.float32)


def add_dem_grades(
    graph: PedestrianGraph,
    dem_path: Path,
    *,
    sample_m: float = SAMPLE_M,
    window_m: float = WINDOW_M,
) -> PedestrianGraph:
    """Fill the ``grade_*`` arrays of segments and ``elevation_m`` of nodes from a DEM."""
    graph.require("add_way_attributes", "add_dem_grades")
    seg, nodes = graph.segments, graph.nodes
    bbox = (
        float(nodes["lon"].min()),
        float(nodes["lat"].min()),
        float(nodes["lon"].max()),
        float(nodes["lat"].max()),
    )
    dem = open_dem(dem_path, bbox)
    metric = metric_crs((bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2)
    to_metric = Transformer.from_crs(4326, metric, always_xy=True)
    to_dem = Transformer.from_crs(metric, dem.crs, always_xy=True)
    x, y = to_metric.transform(seg["geom_lon"], seg["geom_lat"])
    sx, sy, sample_offsets, spacing = _samples(
        np.asarray(x), np.asarray(y), seg["geom_offsets"], sample_m
    )
    dx, dy = to_dem.transform(sx, sy)
    z = bilinear(dem, np.asarray(dx), np.asarray(dy))
    up, down = window_grades(z, sample_offsets, spacing, window_m)
    length = seg["length_m"].astype(np.float64)
    rise = z[sample_offsets[1:] - 1] - z[sample_offsets[:-1]]
    mean = np.divide(rise, length, out=np.full_like(rise, np.nan), where=length > 0) * 100
    structure = seg["structure"] != 0
    virtual = np.isin(seg["kind"], [KIND.index("elevator"), KIND.index("escalator")])
    known = np.isfinite(mean) & np.isfinite(up) & ~structure & ~virtual
    seg["grade_mean_pct"] = np.where(known, mean, seg["grade_mean_pct"]).astype(np.float32)
    seg["grade_max_up_pct"] = np.where(known, up, seg["grade_max_up_pct"]).astype(np.float32)
    seg["grade_max_down_pct"] = np.where(known, down, seg["grade_max_down_pct"]).astype(np.float32)
    confidence = grade_confidence(length, dem.cell_size_m)
    seg["grade_confidence"] = np.where(known, confidence, seg["grade_confidence"]).astype(
        np.float32
    )
    seg["grade_source"][known] = GRADE_SOURCE.index("dem")
    skipped = structure & ~virtual
    seg["grade_source"][skipped] = GRADE_SOURCE.index("structure")
    seg["grade_mean_pct"][skipped] = np.nan
    seg["grade_max_up_pct"][skipped] = np.nan
    seg["grade_max_down_pct"][skipped] = np.nan
    seg["grade_confidence"][skipped] = np.nan
    nx, ny = Transformer.from_crs(4326, dem.crs, always_xy=True).transform(
        nodes["lon"], nodes["lat"]
    )
    nodes["elevation_m"] = bilinear(dem, np.asarray(nx), np.asarray(ny)).astype(np.float32)
    graph.report["grades_from_dem"] = int(known.sum())
    graph.report["grades_skipped_structure"] = int(skipped.sum())
    graph.meta["dem"] = {
        "path": str(dem_path),
        "sha256": dem.sha256,
        "crs": dem.crs.to_string(),
        "cell_size_m": dem.cell_size_m,
        "metric_crs": metric.to_string(),
        "sample_m": sample_m,
        "window_m": window_m,
    }
    graph.ran("add_dem_grades", cell_size_m=dem.cell_size_m, metric_crs=metric.to_string())
    return graph
