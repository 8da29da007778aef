"""Data-quality report of a graph (optionally of one area inside it), as JSON-ready dicts.

What officials and mapping campaigns need to plan: how much of the network has each attribute
known (by count and by length), how fragmented it is, which crossings have no kerb information,
how confident the grades are, and which observations are stale.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import numpy as np
from django.conf import settings
from django.utils import timezone

from routing.graph.contract import GRADE_SOURCE, KERB, KIND, ROAD_KINDS
from routing.graph.graph import PedestrianGraph
from routing.graph.postgis import forward_attributes

MAX_EXAMPLES = 50
LOW_GRADE_CONFIDENCE = 0.3


def _share(known: np.ndarray, length: np.ndarray) -> dict[str, Any]:
    count = len(known)
    total = float(length.sum())
    return {
        "known": int(known.sum()),
        "unknown": int(count - known.sum()),
        "share": round(float(known.mean()), 4) if count else None,
        "share_by_length": round(float(length[known].sum() / total), 4) if total else None,
    }


def _in_area(graph: PedestrianGraph, bbox: tuple[float, float, float, float] | None) -> np.ndarray:
    """Segments whose first point lies in ``bbox`` (all when None); virtual ones excluded."""
    seg = graph.segments
    real = np.asarray(seg["osm_way_id"]) >= 0
    if bbox is None:
        return real
    start = np.asarray(seg["geom_offsets"])[:-1]
    lon, lat = np.asarray(seg["geom_lon"])[start], np.asarray(seg["geom_lat"])[start]
    inside = (lon >= bbox[0]) & (lon <= bbox[2]) & (lat >= bbox[1]) & (lat <= bbox[3])
    return real & inside


def attribute_coverage(a: dict[str, np.ndarray], length: np.ndarray) -> dict[str, Any]:
    kind = a["kind"]
    steps = kind == KIND.index("steps")
    roads = np.isin(kind, [KIND.index(k) for k in ROAD_KINDS])
    coverage = {
        "incline_tag": _share(np.isfinite(a["incline_pct"]) | (a["incline_dir"] >= 0), length),
        "grade": _share(np.isfinite(a["grade_mean_pct"]), length),
        "width": _share(np.isfinite(a["width_m"]), length),
        "surface": _share(a["surface"] >= 0, length),
        "smoothness": _share(a["smoothness"] >= 0, length),
        "lit": _share(a["lit"] >= 0, length),
        "wheelchair": _share(a["wheelchair"] >= 0, length),
        "tactile_paving": _share(a["tactile_paving"] >= 0, length),
        "sidewalk_on_roads": _share(a["no_sidewalk"][roads] >= 0, length[roads]),
        "step_count_on_steps": _share(a["step_count"][steps] >= 0, length[steps]),
        "handrail_on_steps": _share(a["handrail"][steps] >= 0, length[steps]),
        "ramp_on_steps": _share(a["ramp_wheelchair"][steps] >= 0, length[steps]),
    }
    return coverage


def crossing_report(
    graph: PedestrianGraph, a: dict[str, np.ndarray], area: np.ndarray
) -> dict[str, Any]:
    """Crossing ways (OSM ids) where no segment has a kerb mapped at either end."""
    crossing = area & (a["kind"] == KIND.index("crossing"))
    way = np.asarray(graph.segments["osm_way_id"])[crossing]
    kerb_known = (a["kerb_u"][crossing] >= 0) | (a["kerb_v"][crossing] >= 0)
    height_known = np.isfinite(a["kerb_u_cm"][crossing]) | np.isfinite(a["kerb_v_cm"][crossing])
    ways = np.unique(way)
    with_kerb = np.unique(way[kerb_known])
    with_height = np.unique(way[height_known])
    missing = np.setdiff1d(ways, with_kerb)
    segments = np.flatnonzero(crossing)
    examples = []
    for way_id in missing[:MAX_EXAMPLES].tolist():
        first = segments[np.flatnonzero(way == way_id)[0]]
        start = int(graph.segments["geom_offsets"][first])
        examples.append(
            {
                "osm_way_id": way_id,
                "lon": round(float(graph.segments["geom_lon"][start]), 7),
                "lat": round(float(graph.segments["geom_lat"][start]), 7),
            }
        )
    return {
        "crossing_ways": len(ways),
        "without_kerb_info": len(missing),
        "with_kerb_height": len(with_height),
        "share_without_kerb_info": round(len(missing) / len(ways), 4) if len(ways) else None,
        "examples": examples,
    }


def component_report(graph: PedestrianGraph) -> dict[str, Any]:
    component = np.asarray(graph.nodes["component"])
    sizes = np.bincount(component)
    length = np.asarray(graph.edges["length_m"], dtype=np.float64)
    length_by_comp = np.bincount(component[graph.edges["u"]], weights=length) / 2
    total = float(length_by_comp.sum())
    return {
        "count": len(sizes),
        "largest_nodes": int(sizes[0]) if len(sizes) else 0,
        "largest_share_of_nodes": round(float(sizes[0] / sizes.sum()), 4) if len(sizes) else None,
        "largest_share_of_length": round(float(length_by_comp[0] / total), 4) if total else None,
        "small_components": int((sizes < 10).sum()),
        "sizes_top10": sizes[:10].tolist(),
    }


def grade_report(
    graph: PedestrianGraph, a: dict[str, np.ndarray], area: np.ndarray
) -> dict[str, Any]:
    source = a["grade_source"][area]
    confidence = a["grade_confidence"][area]
    known = np.isfinite(confidence)
    dem = graph.meta.get("dem") or {}
    report: dict[str, Any] = {
        "by_source": {GRADE_SOURCE[i]: int((source == i).sum()) for i in range(len(GRADE_SOURCE))},
        "unknown": int((source < 0).sum()),
        "mean_confidence": round(float(confidence[known].mean()), 3) if known.any() else None,
        "low_confidence_share": round(float((confidence[known] < LOW_GRADE_CONFIDENCE).mean()), 4)
        if known.any()
        else None,
        "dem_cell_size_m": dem.get("cell_size_m"),
    }
    if dem.get("cell_size_m", 0) > 30:
        report["note"] = (
            f"The DEM has {dem['cell_size_m']:g} m cells: grades show hills, not single ramps or "
            "kerb cuts. Treat them as low confidence; surveyed inclines override them."
        )
    return report


def stale_report(
    graph: PedestrianGraph, area: np.ndarray, length: np.ndarray, build_pk: int | None
) -> dict[str, Any]:
    from mapping.models import AccessibilityFeature  # the report also runs without a DB build

    now_s = timezone.now().timestamp()
    days = settings.ROUTING_STALE_OSM_DAYS
    stamp = np.asarray(graph.segments["osm_timestamp_s"])[area]
    known = stamp >= 0
    stale = known & (stamp < now_s - days * 86400)
    report: dict[str, Any] = {
        "osm_stale_after_days": days,
        "osm_segments_stale": int(stale.sum()),
        "osm_share_stale_by_length": round(float(length[stale].sum() / length.sum()), 4)
        if length.sum()
        else None,
        "osm_edit_date_unknown": int((~known).sum()),
        "osm_newest_edit": datetime.fromtimestamp(int(stamp.max()), tz=UTC).date().isoformat()
        if known.any()
        else None,
    }
    if build_pk is not None:
        applied = AccessibilityFeature.objects.filter(graph_overlay_items__graph_id=build_pk)
        due = applied.filter(resurvey_due_at__lte=timezone.now())
        report["overlay_features"] = applied.count()
        report["overlay_features_due_for_resurvey"] = due.count()
        report["overlay_examples_due"] = list(due.values_list("pk", flat=True)[:MAX_EXAMPLES])
    return report


def quality_report(
    graph: PedestrianGraph,
    *,
    bbox: tuple[float, float, float, float] | None = None,
    build_pk: int | None = None,
) -> dict[str, Any]:
    """The data-quality report of ``graph`` (or of the segments starting inside ``bbox``)."""
    a = forward_attributes(graph)
    area = _in_area(graph, bbox)
    length = a["length_m"].astype(np.float64)
    kinds = a["kind"][area]
    node_kerbs = np.asarray(graph.nodes["kerb"])
    return {
        "graph": graph.meta.get("name"),
        "build_id": graph.meta.get("build_id"),
        "source": graph.meta.get("source", {}).get("path"),
        "area_bbox": list(bbox) if bbox else graph.meta.get("bbox"),
        "generated_at": timezone.now().isoformat(),
        "segments": int(area.sum()),
        "length_km": round(float(length[area].sum()) / 1000, 3),
        "by_kind": {KIND[k]: int((kinds == k).sum()) for k in np.unique(kinds).tolist()},
        "attributes_known": attribute_coverage({k: v[area] for k, v in a.items()}, length[area]),
        "kerb_nodes": {KERB[k]: int((node_kerbs == k).sum()) for k in range(len(KERB))},
        "crossings": crossing_report(graph, a, area),
        "components": component_report(graph),
        "grades": grade_report(graph, a, area),
        "stale": stale_report(graph, area, length[area], build_pk),
        "build": dict(graph.meta.get("report", {})),
    }
