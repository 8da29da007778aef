"""The demo area's real graphs in PostGIS, with verified crowd reports on them, for layer tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import numpy as np
import pytest
from django.contrib.gis.geos import LineString, Point
from django.utils import timezone

from mapping.models import ReviewStatus
from routing.graph.build import build_graph
from routing.graph.contract import BARRIER, KIND
from routing.graph.graph import PedestrianGraph
from routing.graph.publish import publish_graph
from routing.models import GraphBuild
from tests.conftest import make_feature, shared_data

DEMO = {
    "seoul-yeouido": "osm/seoul_yeouido.osm.pbf",
    "seoul-mapo-gongdeok": "osm/seoul_mapo_gongdeok.osm",
}
DEM = "dem/seoul_dem_90m_epsg5186.tif"


@pytest.fixture(scope="session")
def demo_graphs() -> dict[str, PedestrianGraph]:
    """Both demo graphs, built once per test session from the real extracts and the Seoul DEM,
    each with a stile where a footway ends (the extracts have none; the barrier rule is tested)."""
    graphs = {
        name: build_graph(shared_data(path), dem=shared_data(DEM), name=name)
        for name, path in DEMO.items()
    }
    for graph in graphs.values():
        node = int(graph.segments["v"][segment_of_kind(graph, "footway", 5)])
        barrier = np.array(graph.nodes["barrier"])
        barrier[node] = BARRIER.index("stile")
        graph.nodes["barrier"] = barrier
    return graphs


def publish(graph: PedestrianGraph, name: str) -> GraphBuild:
    return publish_graph(graph, name=name)


def segment_of_kind(graph: PedestrianGraph, kind: str, nth: int = 0) -> int:
    """A two-way segment of ``kind`` (its u -> v edge exists)."""
    seg = graph.segments
    forward = np.asarray(seg["forward_edge"])
    backward = np.asarray(seg["backward_edge"])
    kinds = np.asarray(graph.edges["kind"])[np.where(forward >= 0, forward, 0)]
    found = np.flatnonzero((kinds == KIND.index(kind)) & (forward >= 0) & (backward >= 0))
    return int(found[nth])


def segment_line(graph: PedestrianGraph, segment: int) -> LineString:
    offsets = graph.segments["geom_offsets"]
    start, stop = int(offsets[segment]), int(offsets[segment + 1])
    coords = list(
        zip(
            graph.segments["geom_lon"][start:stop].tolist(),
            graph.segments["geom_lat"][start:stop].tolist(),
            strict=True,
        )
    )
    return LineString(coords, srid=4326)


def segment_end(graph: PedestrianGraph, segment: int, end: str = "u") -> Point:
    node = int(graph.segments[end][segment])
    return Point(float(graph.nodes["lon"][node]), float(graph.nodes["lat"][node]), srid=4326)


def verified(**values: Any) -> Any:
    """A crowd report already validated (as after votes or an official's review)."""
    values.setdefault("status", ReviewStatus.VALIDATED)
    values.setdefault("confidence", 0.9)
    values.setdefault("last_verified_at", timezone.now())
    return make_feature(**values)


def crowd_reports(graph: PedestrianGraph) -> dict[str, Any]:
    """Verified reports of every kind the overlay applies, on real segments of ``graph``."""
    steps = (
        segment_of_kind(graph, "steps")
        if (graph.edges["kind"] == KIND.index("steps")).any()
        else None
    )
    footway = segment_of_kind(graph, "footway")
    sidewalk = (
        segment_of_kind(graph, "sidewalk")
        if (graph.edges["kind"] == KIND.index("sidewalk")).any()
        else footway
    )
    crossing = segment_of_kind(graph, "crossing")
    ramp_line = segment_line(graph, footway)
    reports = {
        "kerb": verified(geom=segment_end(graph, crossing, "u"), kerb="raised", kerb_height_cm=5.0),
        "ramp": verified(
            feature_type="ramp",
            geom=ramp_line,
            incline_pct=9.0,
            width_m=0.9,
            kerb="",
            kerb_height_cm=None,
        ),
        "obstacle": verified(
            feature_type="obstacle",
            geom=segment_line(graph, sidewalk).interpolate_normalized(0.5),
            width_m=0.8,
            is_temporary=True,
            expires_at=timezone.now() + timedelta(days=3),
            kerb="",
            kerb_height_cm=None,
        ),
        "rough": verified(
            feature_type="surface_problem",
            geom=segment_line(graph, segment_of_kind(graph, "footway", 3)).interpolate_normalized(
                0.5
            ),
            surface="sett",
            smoothness="bad",
            confidence=0.45,
            kerb="",
            kerb_height_cm=None,
        ),
    }
    if steps is not None:
        reports["steps"] = verified(
            feature_type="steps",
            geom=segment_line(graph, steps),
            step_count=4,
            ramp_wheelchair="no",
            kerb="",
            kerb_height_cm=None,
            last_verified_at=timezone.now() - timedelta(days=3 * 365),
        )
    return reports
