"""Route requests end to end: choose the graph, snap, search, describe, answer in GeoJSON."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.gis.geos import Point
from django.utils.translation import gettext as _

from routing.engine import describe
from routing.engine.explain import explain_no_route
from routing.engine.planner import (
    Endpoint,
    Path,
    alternatives,
    destination_endpoint,
    origin_endpoint,
    search,
    snap_point,
)
from routing.engine.prepared import Metric, PreparedGraph, prepared
from routing.engine.snapping import Snap, nearest_segment
from routing.errors import NoRoute, PointNotOnNetwork, UnknownGraph
from routing.graph.graph import PedestrianGraph
from routing.graph.store import GraphNotBuilt, get_graph
from routing.models import GraphBuild
from routing.profiles import WALKING, Profile

LonLat = tuple[float, float]


@dataclass
class RouteRequest:
    origin: LonLat
    destination: LonLat
    profile: Profile
    graph: str | None = None
    alternatives: int = 2
    at_s: float = field(default_factory=time.time)
    max_snap_m: float | None = None


def graph_for(name: str | None, point: LonLat) -> tuple[str, PedestrianGraph]:
    """The named active graph, or the active graph whose area contains ``point``."""
    if name is None:
        build = (
            GraphBuild.objects.filter(is_active=True, bbox__contains=Point(*point, srid=4326))
            .order_by("name")
            .first()
        )
        if build is None:
            msg = _(
                "No pedestrian graph covers this point; give a graph name or a point inside a built area."
            )
            raise PointNotOnNetwork(msg, fields={"origin": [msg]})
        name = build.name
    try:
        return name, get_graph(name)
    except GraphNotBuilt as e:
        raise UnknownGraph(str(e), fields={"graph": [str(e)]}) from e


@dataclass
class Planned:
    pg: PreparedGraph
    metric: Metric
    origin: Endpoint
    destination: Endpoint
    path: Path


def plan(
    graph: PedestrianGraph,
    profile: Profile,
    origin: LonLat,
    destination: LonLat,
    *,
    at_s: float | None = None,
    max_snap_m: float | None = None,
    explain: bool = True,
) -> Planned:
    """Snap and search; raises PointNotOnNetwork or NoRoute (with its explanation)."""
    pg = prepared(graph)
    at = time.time() if at_s is None else at_s
    metric = pg.metric(profile, at)
    o = origin_endpoint(pg, metric, _snap(pg, metric, origin, "origin", max_snap_m), *origin)
    d = destination_endpoint(
        pg, metric, _snap(pg, metric, destination, "destination", max_snap_m), *destination
    )
    path = search(pg, metric, o, d)
    if path is None:
        if not explain:
            raise NoRoute(_("No route for this profile."))
        body = explain_no_route(pg, metric, o, d)
        raise NoRoute(body.pop("detail"), **body)
    return Planned(pg, metric, o, d, path)


def _snap(
    pg: PreparedGraph, metric: Metric, point: LonLat, role: str, max_snap_m: float | None
) -> Snap:
    """The nearest usable segment; else a nearby path the profile cannot use, so that the
    answer is "no route, because..." rather than "not on the network"."""
    try:
        return snap_point(pg, metric, *point, role=role, max_m=max_snap_m)
    except PointNotOnNetwork:
        limit = settings.ROUTING_MAX_SNAP_M if max_snap_m is None else max_snap_m
        anything = nearest_segment(pg.snap_index, *point, pg.all_segments, limit)
        if anything is None:
            raise
        return anything


def _walking(planned: Planned, at_s: float) -> tuple[Path | None, Metric]:
    pg = planned.pg
    metric = pg.metric(WALKING, at_s)
    try:
        o = origin_endpoint(
            pg,
            metric,
            snap_point(pg, metric, planned.origin.lon, planned.origin.lat, role="origin"),
            planned.origin.lon,
            planned.origin.lat,
        )
        d = destination_endpoint(
            pg,
            metric,
            snap_point(
                pg, metric, planned.destination.lon, planned.destination.lat, role="destination"
            ),
            planned.destination.lon,
            planned.destination.lat,
        )
    except PointNotOnNetwork:
        return None, metric
    return search(pg, metric, o, d), metric


def path_feature(
    planned: Planned, path: Path, rank: int, now_s: float
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The route line with its summary, and one feature per travelled segment."""
    pg, metric = planned.pg, planned.metric
    pieces = path.pieces()
    coords: list[list[float]] = []
    segments: list[dict[str, Any]] = []
    for i, piece in enumerate(pieces):
        line = describe.piece_geometry(pg, piece)
        coords.extend(line if not coords else line[1:])
        props = describe.segment_properties(pg, metric, piece, now_s)
        props.update({"role": "segment", "route": rank, "index": i})
        segments.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": line},
                "properties": props,
            }
        )
    length = sum(s["properties"]["length_m"] or 0 for s in segments)
    ascent, descent = describe.ascent_descent(pg, pieces)
    feature = {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": coords},
        "properties": {
            "role": "route" if rank == 0 else "alternative",
            "rank": rank,
            "length_m": round(length, 1),
            "duration_s": round(path.cost_s, 1),
            "ascent_m": ascent,
            "descent_m": descent,
            "warnings": describe.warnings(pg, metric, pieces, now_s),
        },
    }
    return feature, segments


def _endpoint_properties(end: Endpoint) -> dict[str, Any]:
    assert end.snap is not None
    return {
        "requested": [end.lon, end.lat],
        "snapped": [round(end.snap.lon, 7), round(end.snap.lat, 7)],
        "snap_distance_m": round(end.snap.distance_m, 1),
    }


def route(request: RouteRequest) -> dict[str, Any]:
    """A GeoJSON FeatureCollection: the route, its segments, alternatives, warnings, avoided."""
    started = time.perf_counter()
    name, graph = graph_for(request.graph, request.origin)
    planned = plan(
        graph,
        request.profile,
        request.origin,
        request.destination,
        at_s=request.at_s,
        max_snap_m=request.max_snap_m,
    )
    now = request.at_s
    features: list[dict[str, Any]] = []
    main, segments = path_feature(planned, planned.path, 0, now)
    walking, walking_metric = _walking(planned, now)
    main["properties"]["avoided"] = describe.avoided(
        planned.pg, planned.metric, walking, planned.path, walking_metric
    )
    features.append(main)
    features.extend(segments)
    if request.alternatives:
        for rank, alt in enumerate(
            alternatives(
                planned.pg,
                planned.metric,
                planned.origin,
                planned.destination,
                planned.path,
                request.alternatives,
            ),
            start=1,
        ):
            feature, _segments = path_feature(planned, alt, rank, now)
            features.append(feature)
    for role, end in (("origin", planned.origin), ("destination", planned.destination)):
        assert end.snap is not None
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(end.snap.lon, 7), round(end.snap.lat, 7)],
                },
                "properties": {"role": role, **_endpoint_properties(end)},
            }
        )
    return {
        "type": "FeatureCollection",
        "features": features,
        "properties": {
            "graph": name,
            "profile": request.profile.as_dict(),
            "origin": _endpoint_properties(planned.origin),
            "destination": _endpoint_properties(planned.destination),
            "nodes_settled": planned.path.settled,
            "computed_ms": round((time.perf_counter() - started) * 1000, 2),
            "attribution": settings.OSM_ATTRIBUTION,
        },
    }
