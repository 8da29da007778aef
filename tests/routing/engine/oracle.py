"""networkx as the reference oracle: the same weights as a metric, and the checks that a
modugil path is optimal and well formed."""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np
import pytest

from routing.engine.planner import node_endpoint, search
from routing.graph.graph import PedestrianGraph


def oracle_graph(graph: PedestrianGraph, cost: np.ndarray) -> nx.DiGraph:
    """A DiGraph with the cheapest passable edge per node pair, weighted by ``cost``."""
    g = nx.DiGraph()
    g.add_nodes_from(range(graph.node_count))
    for e in np.flatnonzero(np.isfinite(cost)).tolist():
        u, v = int(graph.edges["u"][e]), int(graph.edges["v"][e])
        if not g.has_edge(u, v) or g[u][v]["weight"] > cost[e]:
            g.add_edge(u, v, weight=float(cost[e]))
    return g


def assert_optimal(pg: Any, metric: Any, oracle: nx.DiGraph, s: int, t: int) -> Any:
    """modugil's path from node ``s`` to ``t`` costs the oracle's optimum (or both find none),
    uses no blocked edge and is a connected chain of edges from ``s`` to ``t``."""
    path = search(pg, metric, node_endpoint(s), node_endpoint(t))
    try:
        expected = nx.dijkstra_path_length(oracle, s, t)
    except nx.NetworkXNoPath:
        assert path is None, (s, t)
        return None
    assert path is not None, (s, t)
    assert path.cost_s == pytest.approx(expected, rel=1e-9, abs=1e-9)
    if s == t:
        return path
    edges = path.edges
    assert (metric.costs.blocked_by[edges] == 0).all()
    assert pg.tails[edges[0]] == s and pg.heads[edges[-1]] == t
    assert (pg.heads[edges[:-1]] == pg.tails[edges[1:]]).all()
    assert np.sum(metric.costs.total_s[edges]) == pytest.approx(expected, rel=1e-9)
    return path
