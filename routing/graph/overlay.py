"""Crowdsourced overlay: verified ``AccessibilityFeature``s override the OSM-derived graph.

A feature qualifies when it is alive, validated (by votes or an official's review) and, for a
temporary obstacle, not yet expired. It is snapped to the nearest graph node within
``ROUTING_SNAP_NODE_M`` (kerbs, curb ramps, elevators) or to the nearest edge within
``ROUTING_SNAP_EDGE_M``; the snap is kept in ``GraphOverlayItem``. Its measurements then override
the OSM values of that node or edge, both directions, without re-reading OSM:

==================  =========================================================================
kerb / curb_ramp    kerb kind and height at the node (every edge meeting it) or at the nearer
                    end of the edge
elevator            ``elevator_working = False`` blocks the elevator ride(s): obstacle width 0,
                    no expiry (until a working report is verified); True clears it
obstacle            obstacle width (0 = blocked when no width was measured) until ``expires_at``
narrow_passage      width_m = the measured width if narrower
steps               kind steps, step_count, handrail, ramp:wheelchair
ramp / steep_slope  incline (a line's signed incline follows the edge direction; a point's
                    magnitude becomes the up and down grade, source ``survey``), width, surface
surface_problem     surface and smoothness
crossing            crossing type and signals, kerbs at both ends when given
tactile_paving      tactile paving
==================  =========================================================================

Overrides are saved next to the base arrays (``overlay.npz`` + ``overlay.json``) and the edges
table rows they touch are rewritten; :func:`routing.graph.store.get_graph` picks them up.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.contrib.gis.db.models.functions import Distance, GeometryDistance
from django.contrib.gis.geos import GEOSGeometry, Point
from django.db import transaction
from django.utils import timezone

from importers.osm.tags import KERB_HEIGHT_CM
from mapping.models import AccessibilityFeature, FeatureType, ReviewStatus
from routing.graph.contract import (
    CROSSING,
    EDGE_SPECS,
    GRADE_SOURCE,
    KERB,
    KIND,
    RAMP_WHEELCHAIR,
    SMOOTHNESS,
    SURFACE,
    UNKNOWN,
    WHEELCHAIR,
    encode,
    tri,
)
from routing.graph.graph import PedestrianGraph
from routing.models import GraphBuild, GraphEdge, GraphNode, GraphOverlayItem

NODE_FEATURES = {FeatureType.KERB, FeatureType.CURB_RAMP, FeatureType.ELEVATOR}
KERB_FEATURES = {FeatureType.KERB, FeatureType.CURB_RAMP}
NEAREST_CANDIDATES = 8


@dataclass
class Overrides:
    """Sparse overrides: per array name, {index: value}; segment values are for u -> v."""

    segment: dict[str, dict[int, float]] = field(default_factory=lambda: defaultdict(dict))
    node: dict[str, dict[int, float]] = field(default_factory=lambda: defaultdict(dict))

    def segments_touched(self, graph: PedestrianGraph) -> np.ndarray:
        touched = {s for values in self.segment.values() for s in values}
        nodes = {n for values in self.node.values() for n in values}
        if nodes:
            at_node = np.isin(graph.segments["u"], list(nodes)) | np.isin(
                graph.segments["v"], list(nodes)
            )
            touched |= set(np.flatnonzero(at_node).tolist())
        return np.array(sorted(touched), dtype=np.int64)


# --- Which features, and where they land ----------------------------------------------------


def qualifies(feature: AccessibilityFeature) -> bool:
    """Alive, validated, and not an expired temporary obstacle."""
    if feature.deleted_at is not None or feature.status != ReviewStatus.VALIDATED:
        return False
    return not (
        feature.is_temporary and feature.expires_at and feature.expires_at <= timezone.now()
    )


def _anchor(geom: GEOSGeometry) -> Point:
    if geom.geom_type == "Point":
        return geom  # type: ignore[return-value]
    point = geom.interpolate_normalized(0.5) if geom.geom_type == "LineString" else geom.centroid  # type: ignore[attr-defined]
    point.srid = 4326
    return point  # type: ignore[no-any-return]


def _nearest(queryset: Any, point: Point, tolerance_m: float) -> tuple[Any, float] | None:
    candidates = queryset.annotate(distance=Distance("geom", point)).order_by(
        GeometryDistance("geom", point)
    )[:NEAREST_CANDIDATES]
    best = min(candidates, key=lambda row: row.distance.m, default=None)
    if best is None or best.distance.m > tolerance_m:
        return None
    return best, best.distance.m


def snap(build: GraphBuild, feature: AccessibilityFeature) -> GraphOverlayItem | None:
    """Snap ``feature`` to a node or edge of ``build``; None when nothing is close enough."""
    point = _anchor(feature.geom)
    node_m, edge_m = settings.ROUTING_SNAP_NODE_M, settings.ROUTING_SNAP_EDGE_M
    kind = feature.feature_type
    if kind in NODE_FEATURES and feature.geom.geom_type == "Point":
        nodes = GraphNode.objects.filter(graph=build)
        if kind == FeatureType.ELEVATOR:
            found = _nearest(nodes.filter(elevator=True), point, edge_m)
        else:
            found = _nearest(nodes, point, node_m)
        if found:
            return GraphOverlayItem(
                graph=build,
                feature=feature,
                target="node",
                node_index=found[0].node_index,
                distance_m=found[1],
            )
    edges = GraphEdge.objects.filter(graph=build)
    preferred: str | None = {
        FeatureType.CROSSING: "crossing",
        FeatureType.STEPS: "steps",
        FeatureType.ELEVATOR: "elevator",
    }.get(FeatureType(kind))
    found = _nearest(edges.filter(kind=preferred), point, edge_m) if preferred else None
    found = found or _nearest(edges, point, edge_m)
    if found is None:
        return None
    return GraphOverlayItem(
        graph=build,
        feature=feature,
        target="edge",
        segment_index=found[0].segment_index,
        distance_m=found[1],
    )


# --- What they change ---------------------------------------------------------------------------


def _kerb_values(feature: AccessibilityFeature) -> tuple[int, float]:
    kind = feature.kerb or ("lowered" if feature.feature_type == FeatureType.CURB_RAMP else "yes")
    height = feature.kerb_height_cm
    if height is None:
        height = KERB_HEIGHT_CM.get(kind)
    return encode(KERB, kind), (math.nan if height is None else float(height))


def _along_segment(graph: PedestrianGraph, segment: int, geom: GEOSGeometry) -> int:
    """+1 when a line feature runs the same way as the segment, -1 against it."""
    seg = graph.segments
    u, v = int(seg["u"][segment]), int(seg["v"][segment])
    lat = math.radians(float(graph.nodes["lat"][u]))
    sx = (graph.nodes["lon"][v] - graph.nodes["lon"][u]) * math.cos(lat)
    sy = graph.nodes["lat"][v] - graph.nodes["lat"][u]
    (fx0, fy0), (fx1, fy1) = geom.coords[0], geom.coords[-1]  # type: ignore[attr-defined]
    dot = sx * (fx1 - fx0) * math.cos(lat) + sy * (fy1 - fy0)
    return 1 if dot >= 0 else -1


def _edge_value(graph: PedestrianGraph, segment: int, name: str) -> float:
    """The u -> v value of a direction-independent attribute of a segment."""
    edge = int(graph.segments["forward_edge"][segment])
    if edge < 0:
        edge = int(graph.segments["backward_edge"][segment])
    return float(graph.edges[name][edge])


def _nearer_end(graph: PedestrianGraph, segment: int, point: Point) -> str:
    seg, nodes = graph.segments, graph.nodes
    distances = []
    for end in ("u", "v"):
        node = int(seg[end][segment])
        distances.append(math.hypot(nodes["lon"][node] - point.x, nodes["lat"][node] - point.y))
    return "u" if distances[0] <= distances[1] else "v"


def _edge_overrides(
    graph: PedestrianGraph, feature: AccessibilityFeature, segment: int
) -> dict[str, float]:
    kind = feature.feature_type
    out: dict[str, float] = {}
    if kind in KERB_FEATURES:
        end = _nearer_end(graph, segment, _anchor(feature.geom))
        out[f"kerb_{end}"], out[f"kerb_{end}_cm"] = _kerb_values(feature)
    elif kind == FeatureType.ELEVATOR and feature.elevator_working is not None:
        out["obstacle_width_m"] = math.nan if feature.elevator_working else 0.0
        out["obstacle_until_s"] = math.nan if feature.elevator_working else math.inf
    elif kind == FeatureType.OBSTACLE:
        out["obstacle_width_m"] = feature.width_m if feature.width_m is not None else 0.0
        out["obstacle_until_s"] = feature.expires_at.timestamp() if feature.expires_at else math.inf
    elif kind == FeatureType.NARROW_PASSAGE and feature.width_m is not None:
        current = _edge_value(graph, segment, "width_m")
        out["width_m"] = (
            min(feature.width_m, current) if math.isfinite(current) else feature.width_m
        )
    elif kind == FeatureType.STEPS:
        out["kind"] = KIND.index("steps")
        if feature.step_count is not None:
            out["step_count"] = feature.step_count
        out["handrail"] = tri(feature.handrail) if feature.handrail is not None else UNKNOWN
        if feature.ramp_wheelchair:
            out["ramp_wheelchair"] = encode(RAMP_WHEELCHAIR, feature.ramp_wheelchair)
    elif kind in (FeatureType.RAMP, FeatureType.STEEP_SLOPE) and feature.incline_pct is not None:
        out.update(_incline_overrides(graph, feature, segment))
    elif kind == FeatureType.CROSSING:
        if feature.crossing:
            out["crossing"] = encode(CROSSING, feature.crossing)
        if feature.crossing_signals is not None:
            out["crossing_signals"] = tri(feature.crossing_signals)
        if feature.kerb or feature.kerb_height_cm is not None:
            out["kerb_u"], out["kerb_u_cm"] = _kerb_values(feature)
            out["kerb_v"], out["kerb_v_cm"] = out["kerb_u"], out["kerb_u_cm"]
    elif kind == FeatureType.TACTILE_PAVING and feature.tactile_paving is not None:
        out["tactile_paving"] = tri(feature.tactile_paving)
    out.update(_common_overrides(feature))
    return out


def _incline_overrides(
    graph: PedestrianGraph, feature: AccessibilityFeature, segment: int
) -> dict[str, float]:
    incline = float(feature.incline_pct)  # type: ignore[arg-type]
    out: dict[str, float] = {
        "grade_source": GRADE_SOURCE.index("survey"),
        "grade_confidence": feature.confidence,
    }
    if feature.geom.geom_type == "LineString":
        signed = incline * _along_segment(graph, segment, feature.geom)
        out["incline_pct"] = signed
        out["grade_mean_pct"] = signed
        out["grade_max_up_pct"], out["grade_max_down_pct"] = max(signed, 0.0), max(-signed, 0.0)
    else:  # a point gives the steepness, not its direction: steep both ways
        out["grade_max_up_pct"] = out["grade_max_down_pct"] = abs(incline)
    return out


def _common_overrides(feature: AccessibilityFeature) -> dict[str, float]:
    out: dict[str, float] = {}
    if feature.width_m is not None and feature.feature_type in (
        FeatureType.RAMP,
        FeatureType.STEPS,
    ):
        out["width_m"] = feature.width_m
    if feature.surface:
        out["surface"] = encode(SURFACE, feature.surface)
    if feature.smoothness:
        out["smoothness"] = encode(SMOOTHNESS, feature.smoothness)
    if feature.wheelchair_tag:
        out["wheelchair"] = encode(WHEELCHAIR, feature.wheelchair_tag)
    verified = feature.last_verified_at or feature.observed_at
    out["overlay_feature_id"] = feature.pk
    out["overlay_confidence"] = feature.confidence
    out["overlay_observed_s"] = verified.timestamp()
    return out


def _elevator_rides(graph: PedestrianGraph, node: int) -> np.ndarray:
    """Elevator-ride segments of the elevator at ``node`` (all its stops share one OSM id)."""
    seg = graph.segments
    osm_id = int(graph.nodes["osm_id"][node])
    rides = (seg["osm_node_id"] == osm_id) & (seg["osm_node_id"] >= 0)
    return np.flatnonzero(rides)


def compute_overrides(graph: PedestrianGraph, items: list[GraphOverlayItem]) -> Overrides:
    """Overrides from snapped features; newer verification wins where two touch the same value."""
    overrides = Overrides()
    ordered = sorted(
        items, key=lambda i: (i.feature.last_verified_at or i.feature.observed_at, i.feature.pk)
    )
    for item in ordered:
        feature = item.feature
        if item.target == "node" and feature.feature_type in KERB_FEATURES:
            node = int(item.node_index)  # type: ignore[arg-type]
            kerb, height = _kerb_values(feature)
            overrides.node["kerb"][node] = kerb
            overrides.node["kerb_height_cm"][node] = height
            overrides.node["overlay_feature_id"][node] = feature.pk
        elif item.target == "node":  # an elevator: override its ride(s)
            for segment in _elevator_rides(graph, int(item.node_index)).tolist():  # type: ignore[arg-type]
                for name, value in _edge_overrides(graph, feature, segment).items():
                    overrides.segment[name][segment] = value
        else:
            segment = int(item.segment_index)  # type: ignore[arg-type]
            for name, value in _edge_overrides(graph, feature, segment).items():
                overrides.segment[name][segment] = value
    return overrides


# --- Applying and saving ----------------------------------------------------------------------


def _writable(table: dict[str, np.ndarray], name: str) -> np.ndarray:
    """Copy a memory-mapped base array before the first write (base stays untouched)."""
    values = table[name]
    if not values.flags.writeable or isinstance(values, np.memmap):
        values = np.array(values)
        table[name] = values
    return values


def apply_overrides(graph: PedestrianGraph, overrides: Overrides) -> PedestrianGraph:
    """Write overrides into the graph's edge and node arrays (both directions of each segment)."""
    seg, edges = graph.segments, graph.edges
    for name, values in overrides.segment.items():
        index = np.fromiter(values, dtype=np.int64, count=len(values))
        value = np.fromiter(values.values(), dtype=np.float64, count=len(values))
        spec = EDGE_SPECS[name]
        forward, backward = seg["forward_edge"][index], seg["backward_edge"][index]
        has = forward >= 0
        _writable(edges, name)[forward[has]] = value[has]
        has = backward >= 0
        target, back_value = _reverse_target(spec.reverse, name, value[has])
        _writable(edges, target)[backward[has]] = back_value
    node_kerbs = overrides.node.get("kerb", {})
    for name, values in overrides.node.items():
        if name in graph.nodes:
            index = np.fromiter(values, dtype=np.int64, count=len(values))
            _writable(graph.nodes, name)[index] = np.fromiter(values.values(), dtype=np.float64)
    if node_kerbs:
        _apply_node_kerbs(graph, overrides)
    return graph


def _reverse_target(rule: str, name: str, value: np.ndarray) -> tuple[str, np.ndarray]:
    if rule.startswith("swap:"):
        return rule.removeprefix("swap:"), value
    if rule == "negate":
        return name, -value
    if rule == "mirror_code":
        return name, np.where(value >= 0, 2 - value, value)
    return name, value


def _apply_node_kerbs(graph: PedestrianGraph, overrides: Overrides) -> None:
    """A kerb node's new kind and height reach every edge starting or ending there."""
    edges = graph.edges
    for end in ("u", "v"):
        for name, source in ((f"kerb_{end}", "kerb"), (f"kerb_{end}_cm", "kerb_height_cm")):
            values = overrides.node[source]
            nodes = np.fromiter(values, dtype=np.int64, count=len(values))
            lookup = dict(values)
            hit = np.flatnonzero(np.isin(edges[end], nodes))
            _writable(edges, name)[hit] = [lookup[int(n)] for n in edges[end][hit].tolist()]
        hit = np.flatnonzero(np.isin(edges[end], list(overrides.node["overlay_feature_id"])))
        ids = overrides.node["overlay_feature_id"]
        _writable(edges, "overlay_feature_id")[hit] = [
            ids[int(n)] for n in edges[end][hit].tolist()
        ]


def save_overrides(directory: Path, overrides: Overrides, *, version: int) -> None:
    arrays: dict[str, np.ndarray] = {}
    for table, content in (("segment", overrides.segment), ("node", overrides.node)):
        for name, values in content.items():
            arrays[f"{table}:{name}:index"] = np.fromiter(values, dtype=np.int64, count=len(values))
            arrays[f"{table}:{name}:value"] = np.fromiter(
                values.values(), dtype=np.float64, count=len(values)
            )
    np.savez(directory / "overlay.tmp.npz", **arrays)  # type: ignore[arg-type]
    (directory / "overlay.tmp.npz").replace(directory / "overlay.npz")
    stamp = {"version": version, "updated_at": timezone.now().isoformat(), "arrays": len(arrays)}
    (directory / "overlay.json.tmp").write_text(json.dumps(stamp), encoding="utf-8")
    (directory / "overlay.json.tmp").replace(directory / "overlay.json")


def read_overrides(directory: Path) -> Overrides:
    overrides = Overrides()
    path = directory / "overlay.npz"
    if not path.exists():
        return overrides
    with np.load(path) as data:
        for key in data.files:
            table, name, part = key.split(":")
            if part != "index":
                continue
            target = overrides.segment if table == "segment" else overrides.node
            values = data[f"{table}:{name}:value"].tolist()
            target[name] = dict(zip(data[key].tolist(), values, strict=True))
    return overrides


def apply_saved_overlay(graph: PedestrianGraph, directory: Path) -> PedestrianGraph:
    """Apply ``overlay.npz`` if the build has one (called by the loader)."""
    overrides = read_overrides(directory)
    if overrides.segment or overrides.node:
        apply_overrides(graph, overrides)
    graph.meta["overlay"] = (
        json.loads((directory / "overlay.json").read_text())
        if (directory / "overlay.json").exists()
        else {}
    )
    return graph


# --- Refreshing ---------------------------------------------------------------------------------


def _candidates(build: GraphBuild) -> Any:
    return AccessibilityFeature.objects.active().filter(
        status=ReviewStatus.VALIDATED, geom__intersects=build.bbox.buffer(0.001)
    )


@transaction.atomic
def refresh_overlay(build: GraphBuild, *, feature_ids: list[int] | None = None) -> dict[str, int]:
    """Re-snap ``feature_ids`` (all qualifying features when None) and rewrite the overlay.

    Returns counts: features applied, left unsnapped (too far from the network), edges rewritten.
    """
    from routing.graph.postgis import update_edge_rows  # postgis imports the models too
    from routing.graph.store import load_graph

    directory = Path(build.directory)
    base = load_graph(directory, overlay=False)
    previous = read_overrides(directory)
    items = GraphOverlayItem.objects.filter(graph=build)
    if feature_ids is None:
        items.delete()
        features = list(_candidates(build))
    else:
        items.filter(feature_id__in=feature_ids).delete()
        features = [
            f for f in AccessibilityFeature.all_objects.filter(pk__in=feature_ids) if qualifies(f)
        ]
    unsnapped = 0
    for feature in features:
        item = snap(build, feature)
        if item is None:
            unsnapped += 1
        else:
            item.save()
    current = list(GraphOverlayItem.objects.filter(graph=build).select_related("feature"))
    current = [item for item in current if qualifies(item.feature)]
    overrides = compute_overrides(base, current)
    build.overlay_version += 1
    build.overlay_updated_at = timezone.now()
    build.save(update_fields=["overlay_version", "overlay_updated_at"])
    effective = apply_overrides(base, overrides)
    touched = np.union1d(previous.segments_touched(base), overrides.segments_touched(base))
    rewritten = update_edge_rows(build, effective, touched)
    # Last: the engine picks up the file at once, so it goes only after the rows succeeded.
    save_overrides(directory, overrides, version=build.overlay_version)
    return {"features": len(current), "unsnapped": unsnapped, "edges_rewritten": rewritten}


def feature_changed(feature_id: int) -> list[dict[str, int]]:
    """Service call after a feature is created, edited, verified, rejected or deleted.

    Refreshes the overlay of every active graph the feature lies in or was applied to; a
    feature that neither qualifies nor was applied costs one query.
    """
    feature = AccessibilityFeature.all_objects.filter(pk=feature_id).first()
    applied = set(
        GraphOverlayItem.objects.filter(feature_id=feature_id).values_list("graph_id", flat=True)
    )
    builds = GraphBuild.objects.filter(is_active=True)
    if feature is not None and qualifies(feature):
        ids = set(builds.filter(bbox__intersects=feature.geom).values_list("pk", flat=True))
    else:
        ids = set()
    results = []
    for build in builds.filter(pk__in=ids | applied):
        results.append(refresh_overlay(build, feature_ids=[feature_id]))
    return results
