"""Reachability areas: "where can I get within 15 minutes with my profile", as polygons.

A cost-limited one-to-all search from the snapped origin; every edge reached (in part, up to
where the time runs out) is buffered in local metres and the buffers merged, so the polygons
follow the paths actually usable instead of a convex guess across blocked ground.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import shapely
from django.conf import settings

from routing.engine.planner import origin_endpoint, snap_point
from routing.engine.prepared import prepared
from routing.engine.search import dijkstra_all
from routing.engine.service import graph_for
from routing.engine.snapping import EARTH_M_PER_DEG
from routing.profiles import Profile

BUFFER_M = 20.0


def isochrone(
    origin: tuple[float, float],
    minutes: list[float],
    profile: Profile,
    *,
    graph_name: str | None = None,
) -> dict[str, Any]:
    """One (multi)polygon per time band, largest first."""
    started = time.perf_counter()
    name, graph = graph_for(graph_name, origin)
    pg = prepared(graph)
    metric = pg.metric(profile, time.time())
    snap = snap_point(pg, metric, *origin, role="origin")
    start = origin_endpoint(pg, metric, snap, *origin)
    limit_s = max(minutes) * 60
    dist, _pred = dijkstra_all(
        pg.indptr, pg.heads, pg.edge_ids, metric.costs.total_s, start.nodes, start.costs, limit_s
    )
    projection = pg.snap_index.projection
    features = []
    for band in sorted(minutes, reverse=True):
        polygon, edges = _band(pg, metric.costs.run_s, dist, band * 60, start)
        if polygon.is_empty:
            continue
        shell = shapely.transform(polygon, lambda xy: np.column_stack(_to_lonlat(projection, xy)))
        features.append(
            {
                "type": "Feature",
                "geometry": shapely.geometry.mapping(shapely.set_precision(shell, 1e-7)),
                "properties": {
                    "role": "reachable",
                    "minutes": band,
                    "area_m2": round(polygon.area),
                    "edges_reached": edges,
                },
            }
        )
    return {
        "type": "FeatureCollection",
        "features": features,
        "properties": {
            "graph": name,
            "origin": {
                "requested": list(origin),
                "snapped": [snap.lon, snap.lat],
                "snap_distance_m": round(snap.distance_m, 1),
            },
            "profile": profile.as_dict(),
            "computed_ms": round((time.perf_counter() - started) * 1000, 1),
            "attribution": settings.OSM_ATTRIBUTION,
        },
    }


def _to_lonlat(projection: Any, xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return projection.lon0 + xy[:, 0] / projection.kx, projection.lat0 + xy[:, 1] / EARTH_M_PER_DEG


def _band(
    pg: Any, run: np.ndarray, dist: np.ndarray, limit_s: float, start: Any
) -> tuple[Any, int]:
    tails, heads = pg.tails, pg.heads
    reach_tail = dist[tails]
    ok = np.isfinite(reach_tail) & (reach_tail <= limit_s) & np.isfinite(run)
    edges = np.flatnonzero(ok)
    share = np.clip((limit_s - reach_tail[edges]) / np.where(run[edges] > 0, run[edges], 1), 0, 1)
    share = np.where(dist[heads[edges]] <= limit_s, 1.0, share)
    lines = []
    projection = pg.snap_index.projection
    for edge, part in zip(edges.tolist(), share.tolist(), strict=True):
        coords = pg.graph.edge_coords(edge)
        x, y = projection.to_xy(coords[:, 0], coords[:, 1])
        if part < 1.0:
            along = np.concatenate(([0.0], np.cumsum(np.hypot(np.diff(x), np.diff(y)))))
            cut = part * along[-1]
            keep = along < cut
            x = np.append(x[keep], np.interp(cut, along, x))
            y = np.append(y[keep], np.interp(cut, along, y))
        if len(x) >= 2:
            lines.append(np.column_stack((x, y)))
    sx, sy = projection.to_xy(start.snap.lon, start.snap.lat)
    geoms = (
        [shapely.Point(float(sx), float(sy)), *[shapely.LineString(line) for line in lines]]
        if lines
        else [shapely.Point(float(sx), float(sy))]
    )
    merged = shapely.union_all(shapely.buffer(geoms, BUFFER_M, quad_segs=4))
    return shapely.simplify(merged, 2.0), len(edges)
