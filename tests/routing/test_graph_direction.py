"""Direction-dependent attributes: incline signs, up/down grades and start/end kerbs flip."""

from __future__ import annotations

import numpy as np

from importers.osm.tags import parse_incline
from routing.graph.contract import INCLINE_DIR, KIND
from routing.graph.graph import PedestrianGraph


def _pairs(graph: PedestrianGraph) -> tuple[np.ndarray, np.ndarray]:
    edges = graph.edges
    forward = np.flatnonzero(~edges["reversed"] & (edges["reverse"] >= 0))
    return forward, edges["reverse"][forward]


def test_incline_sign_flips_on_reverse_edge(helsinki_graph: PedestrianGraph) -> None:
    edges = helsinki_graph.edges
    forward, backward = _pairs(helsinki_graph)
    tagged = np.isfinite(edges["incline_pct"][forward])
    assert tagged.any()  # Helsinki has incline=-10%
    assert np.array_equal(
        edges["incline_pct"][forward][tagged], -edges["incline_pct"][backward][tagged]
    )
    assert (edges["u"][forward] == edges["v"][backward]).all()


def test_incline_up_down_flips(helsinki_graph: PedestrianGraph) -> None:
    edges = helsinki_graph.edges
    forward, backward = _pairs(helsinki_graph)
    up = edges["incline_dir"][forward] == INCLINE_DIR.index("up")
    assert up.sum() >= 5
    assert (edges["incline_dir"][backward][up] == INCLINE_DIR.index("down")).all()


def test_way_incline_is_signed_along_the_way(helsinki_graph: PedestrianGraph) -> None:
    edges = helsinki_graph.edges
    not_reversed = ~edges["reversed"] & np.isfinite(edges["incline_pct"])
    assert (edges["incline_pct"][not_reversed] == parse_incline("-10%")[0]).all()


def test_dem_grades_and_kerbs_swap_on_reverse(mapo_graph: PedestrianGraph) -> None:
    edges = mapo_graph.edges
    forward, backward = _pairs(mapo_graph)
    known = np.isfinite(edges["grade_mean_pct"][forward])
    assert known.mean() > 0.95
    assert np.allclose(
        edges["grade_mean_pct"][forward][known], -edges["grade_mean_pct"][backward][known]
    )
    assert np.array_equal(
        edges["grade_max_up_pct"][forward][known], edges["grade_max_down_pct"][backward][known]
    )
    assert np.array_equal(edges["kerb_u_cm"][forward], edges["kerb_v_cm"][backward], equal_nan=True)


def test_reversible_escalators_go_both_ways(helsinki_graph: PedestrianGraph) -> None:
    edges = helsinki_graph.edges
    escalator = edges["kind"] == KIND.index("escalator")
    assert escalator.any()
    assert (edges["escalator"][escalator] == 1).all()
    # Helsinki's escalators are conveying=yes (reversible): both ways; a forward one has no reverse
    steps = edges["kind"] == KIND.index("steps")
    assert (edges["reverse"][steps] >= 0).all()
