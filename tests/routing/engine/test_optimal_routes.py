"""modugil's route cost equals networkx's optimum on the same weights, for random profiles and
pairs; no route ever uses an edge that breaks a hard constraint; paths are connected."""

from __future__ import annotations

import time

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routing.engine.planner import node_endpoint, search
from routing.engine.prepared import prepared
from routing.graph.graph import PedestrianGraph
from routing.profiles import UNKNOWN_ATTRIBUTES, UNKNOWN_POLICIES, build_profile

profiles = st.fixed_dictionaries(
    {
        "max_uphill_pct": st.floats(0, 25),
        "max_downhill_pct": st.floats(0, 30),
        "max_kerb_height_cm": st.floats(0, 30),
        "min_width_m": st.floats(0, 1.5),
        "max_steps": st.integers(0, 30),
        "street_avoidance": st.floats(0, 1),
        "allow_escalators": st.booleans(),
        "allow_elevators": st.booleans(),
        "speed_mps": st.floats(0.3, 2),
        "unknown_policy": st.fixed_dictionaries(
            {a: st.sampled_from(UNKNOWN_POLICIES) for a in UNKNOWN_ATTRIBUTES}
        ),
    }
)


def _oracle(graph: PedestrianGraph, cost: np.ndarray) -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_nodes_from(range(graph.node_count))
    for e in np.flatnonzero(np.isfinite(cost)).tolist():
        u, v = int(graph.edges["u"][e]), int(graph.edges["v"][e])
        if not g.has_edge(u, v) or g[u][v]["weight"] > cost[e]:
            g.add_edge(u, v, weight=float(cost[e]))
    return g


@pytest.mark.slow
@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(params=profiles, seed=st.integers(0, 2**31), exact=st.booleans())
def test_cost_equals_networkx_and_constraints_hold(helsinki, params, seed, exact) -> None:
    profile = build_profile("manual_wheelchair", params)
    pg = prepared(helsinki)
    metric = pg.metric(profile, time.time(), exact=exact)
    oracle = _oracle(helsinki, metric.costs.total_s)
    rng = np.random.default_rng(seed)
    for s, t in rng.integers(0, helsinki.node_count, size=(15, 2)).tolist():
        path = search(pg, metric, node_endpoint(s), node_endpoint(t))
        try:
            expected = nx.dijkstra_path_length(oracle, s, t)
        except nx.NetworkXNoPath:
            assert path is None, (s, t)
            continue
        assert path is not None, (s, t)
        assert path.cost_s == pytest.approx(expected, rel=1e-9, abs=1e-9)
        edges = path.edges
        if s == t:
            continue
        assert (metric.costs.blocked_by[edges] == 0).all()
        assert pg.tails[edges[0]] == s and pg.heads[edges[-1]] == t
        assert (pg.heads[edges[:-1]] == pg.tails[edges[1:]]).all()
        assert np.sum(metric.costs.total_s[edges]) == pytest.approx(expected, rel=1e-9)
