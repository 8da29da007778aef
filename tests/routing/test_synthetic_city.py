"""The synthetic city generator (small size): deterministic, and the graph finds what it wrote."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from benchmarks.synthetic_city import make_city
from routing.graph.build import build_graph
from routing.graph.contract import GRADE_SOURCE, KERB, KIND
from routing.graph.graph import PedestrianGraph


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    out = tmp_path_factory.mktemp("city")
    return make_city(out, edges=4000, seed=7), out


@pytest.fixture(scope="module")
def city_graph(city: tuple[dict, Path]) -> PedestrianGraph:
    _, out = city
    return build_graph(out / "city.osm.pbf", dem=out / "city_dem_epsg5186.tif")


def test_same_seed_same_files(city: tuple[dict, Path], tmp_path: Path) -> None:
    manifest, _ = city
    again = make_city(tmp_path, edges=4000, seed=7)
    assert again["pbf_sha256"] == manifest["pbf_sha256"]
    assert json.loads((tmp_path / "manifest.json").read_text())["counts"] == manifest["counts"]


def test_size_is_close_to_the_target(city_graph: PedestrianGraph) -> None:
    assert 3000 < city_graph.segment_count < 5000
    assert city_graph.report["components"] == 1


def test_graph_finds_every_generated_feature(
    city: tuple[dict, Path], city_graph: PedestrianGraph
) -> None:
    counts = city[0]["counts"]
    nodes, seg = city_graph.nodes, city_graph.segments
    assert (nodes["kerb"] >= 0).sum() == counts["kerb_nodes"]
    for kind in ("raised", "lowered", "flush", "rolled"):
        assert (nodes["kerb"] == KERB.index(kind)).sum() == counts[f"kerb_{kind}"]
    assert (nodes["kerb"] == KERB.index("yes")).sum() == counts["kerb_barrier_only"]
    kinds = city_graph.edges["kind"][seg["forward_edge"]]
    assert (
        len(set(seg["osm_way_id"][kinds == KIND.index("steps")].tolist())) == counts["steps_ways"]
    )
    assert (nodes["elevator"] == 1).sum() >= counts["elevator_nodes"]
    assert city_graph.report["elevator_rides"] == counts["elevator_nodes"]


def test_one_way_escalators_and_hills(city: tuple[dict, Path], city_graph: PedestrianGraph) -> None:
    edges = city_graph.edges
    escalator = edges["kind"] == KIND.index("escalator")
    assert escalator.sum() == city[0]["counts"]["escalator_ways"]
    assert (edges["reverse"][escalator] == -1).all()
    dem = edges["grade_source"] == GRADE_SOURCE.index("dem")
    assert dem.mean() > 0.9
    assert np.nanmax(edges["grade_max_up_pct"]) > 3  # hills
    long_edges = dem & (edges["length_m"] >= 10)
    assert edges["grade_confidence"][long_edges].min() == pytest.approx(0.75, abs=0.26)
