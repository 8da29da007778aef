"""Snapping a point to the nearest edge a profile may use: a uniform grid over segment pieces.

Coordinates are projected to local metres (equirectangular about the graph's centre: under
0.1 % error across a city); every straight piece of every segment's geometry is bucketed into
the grid cells its bounding box touches, and the query (compiled) scans rings of cells outwards
until no closer piece can exist, skipping segments the profile cannot use.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit

from routing.graph.graph import PedestrianGraph

EARTH_M_PER_DEG = math.pi * 6_371_008.8 / 180
CELL_M = 30.0


@dataclass
class LocalProjection:
    lon0: float
    lat0: float

    @property
    def kx(self) -> float:
        return EARTH_M_PER_DEG * math.cos(math.radians(self.lat0))

    def to_xy(
        self, lon: np.ndarray | float, lat: np.ndarray | float
    ) -> tuple[np.ndarray, np.ndarray]:
        return (
            (np.asarray(lon, dtype=np.float64) - self.lon0) * self.kx,
            (np.asarray(lat, dtype=np.float64) - self.lat0) * EARTH_M_PER_DEG,
        )

    def to_lonlat(self, x: float, y: float) -> tuple[float, float]:
        return self.lon0 + x / self.kx, self.lat0 + y / EARTH_M_PER_DEG


@dataclass
class SnapIndex:
    projection: LocalProjection
    x0: np.ndarray
    y0: np.ndarray
    x1: np.ndarray
    y1: np.ndarray
    piece_segment: np.ndarray
    piece_offset: np.ndarray  # planar metres from the segment's start to the piece's start
    segment_planar_m: np.ndarray
    min_x: float
    min_y: float
    nx: int
    ny: int
    cell_start: np.ndarray
    cell_pieces: np.ndarray


@dataclass(frozen=True)
class Snap:
    """A point placed on a segment: ``fraction`` of the way from its start (its own direction)."""

    segment: int
    fraction: float
    distance_m: float
    lon: float
    lat: float


def build_snap_index(graph: PedestrianGraph) -> SnapIndex:
    seg = graph.segments
    lon, lat = np.asarray(seg["geom_lon"]), np.asarray(seg["geom_lat"])
    projection = LocalProjection(
        float(np.mean(graph.nodes["lon"])), float(np.mean(graph.nodes["lat"]))
    )
    x, y = projection.to_xy(lon, lat)
    offsets = np.asarray(seg["geom_offsets"], dtype=np.int64)
    counts = np.diff(offsets)
    segment_of_point = np.repeat(np.arange(len(counts)), counts)
    # a piece joins point i and i+1 of the same segment
    same = segment_of_point[:-1] == segment_of_point[1:]
    start = np.flatnonzero(same)
    piece_segment = segment_of_point[start]
    length = np.hypot(x[start + 1] - x[start], y[start + 1] - y[start])
    cumulative = np.concatenate(([0.0], np.cumsum(length)))
    seg_first_piece = np.searchsorted(piece_segment, np.arange(len(counts)))
    piece_offset = cumulative[:-1] - cumulative[seg_first_piece[piece_segment]]
    planar = np.bincount(piece_segment, weights=length, minlength=len(counts))
    min_x, min_y = float(x.min()) - CELL_M, float(y.min()) - CELL_M
    nx = int((x.max() - min_x) // CELL_M) + 2
    ny = int((y.max() - min_y) // CELL_M) + 2
    cell_start, cell_pieces = _bucket(x, y, start, min_x, min_y, nx, ny)
    return SnapIndex(
        projection,
        x[start],
        y[start],
        x[start + 1],
        y[start + 1],
        piece_segment.astype(np.int64),
        piece_offset,
        planar,
        min_x,
        min_y,
        nx,
        ny,
        cell_start,
        cell_pieces,
    )


def _bucket(
    x: np.ndarray, y: np.ndarray, start: np.ndarray, min_x: float, min_y: float, nx: int, ny: int
) -> tuple[np.ndarray, np.ndarray]:
    ax, bx = x[start], x[start + 1]
    ay, by = y[start], y[start + 1]
    cx0 = ((np.minimum(ax, bx) - min_x) // CELL_M).astype(np.int64)
    cx1 = ((np.maximum(ax, bx) - min_x) // CELL_M).astype(np.int64)
    cy0 = ((np.minimum(ay, by) - min_y) // CELL_M).astype(np.int64)
    cy1 = ((np.maximum(ay, by) - min_y) // CELL_M).astype(np.int64)
    return _fill_cells(cx0, cx1, cy0, cy1, nx, ny)


@njit(cache=True)
def _fill_cells(cx0, cx1, cy0, cy1, nx, ny):  # type: ignore[no-untyped-def]
    counts = np.zeros(nx * ny + 1, dtype=np.int64)
    for p in range(cx0.shape[0]):
        for cx in range(cx0[p], cx1[p] + 1):
            for cy in range(cy0[p], cy1[p] + 1):
                counts[cy * nx + cx + 1] += 1
    start = np.cumsum(counts)
    fill = start[:-1].copy()
    pieces = np.empty(start[-1], dtype=np.int64)
    for p in range(cx0.shape[0]):
        for cx in range(cx0[p], cx1[p] + 1):
            for cy in range(cy0[p], cy1[p] + 1):
                cell = cy * nx + cx
                pieces[fill[cell]] = p
                fill[cell] += 1
    return start, pieces


@njit(cache=True)
def _nearest(  # type: ignore[no-untyped-def]
    px,
    py,
    x0,
    y0,
    x1,
    y1,
    piece_segment,
    usable,
    min_x,
    min_y,
    nx,
    ny,
    cell_start,
    cell_pieces,
    max_m,
    cell_m,
):
    cx = int((px - min_x) // cell_m)
    cy = int((py - min_y) // cell_m)
    best = np.inf
    best_piece = -1
    best_t = 0.0
    ring = 0
    max_ring = int(max_m // cell_m) + 2
    while ring <= max_ring:
        for gx in range(cx - ring, cx + ring + 1):
            for gy in range(cy - ring, cy + ring + 1):
                if max(abs(gx - cx), abs(gy - cy)) != ring:
                    continue
                if gx < 0 or gy < 0 or gx >= nx or gy >= ny:
                    continue
                cell = gy * nx + gx
                for k in range(cell_start[cell], cell_start[cell + 1]):
                    p = cell_pieces[k]
                    if not usable[piece_segment[p]]:
                        continue
                    dx, dy = x1[p] - x0[p], y1[p] - y0[p]
                    den = dx * dx + dy * dy
                    t = 0.0
                    if den > 0:
                        t = ((px - x0[p]) * dx + (py - y0[p]) * dy) / den
                        t = min(1.0, max(0.0, t))
                    qx, qy = x0[p] + t * dx, y0[p] + t * dy
                    d = np.hypot(px - qx, py - qy)
                    if d < best:
                        best = d
                        best_piece = p
                        best_t = t
        if best_piece >= 0 and best <= ring * cell_m:
            break
        ring += 1
    return best_piece, best_t, best


def nearest_segment(
    index: SnapIndex, lon: float, lat: float, usable: np.ndarray, max_m: float
) -> Snap | None:
    """The nearest point on a usable segment within ``max_m`` metres, or None."""
    px, py = index.projection.to_xy(lon, lat)
    piece, t, distance = _nearest(
        float(px),
        float(py),
        index.x0,
        index.y0,
        index.x1,
        index.y1,
        index.piece_segment,
        usable,
        index.min_x,
        index.min_y,
        index.nx,
        index.ny,
        index.cell_start,
        index.cell_pieces,
        max_m,
        CELL_M,
    )
    if piece < 0 or distance > max_m:
        return None
    segment = int(index.piece_segment[piece])
    qx = index.x0[piece] + t * (index.x1[piece] - index.x0[piece])
    qy = index.y0[piece] + t * (index.y1[piece] - index.y0[piece])
    piece_m = math.hypot(index.x1[piece] - index.x0[piece], index.y1[piece] - index.y0[piece])
    planar = float(index.segment_planar_m[segment])
    along = float(index.piece_offset[piece]) + t * piece_m
    fraction = along / planar if planar > 0 else 0.0
    snap_lon, snap_lat = index.projection.to_lonlat(float(qx), float(qy))
    return Snap(segment, min(max(fraction, 0.0), 1.0), float(distance), snap_lon, snap_lat)
