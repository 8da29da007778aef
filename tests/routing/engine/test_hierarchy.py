"""Contraction hierarchies give the same optimum as networkx (the oracle) for every preset on
Helsinki, unpack into connected original edges, and a large graph answers exactly (by ALT)
while its hierarchy is still being built in the background."""

from __future__ import annotations

import threading
import time

import networkx as nx
import numpy as np
import pytest

from routing.engine import prepared as prepared_module
from routing.engine.contraction import (
    PRIORITY_WEIGHTS,
    WITNESS_RELAXATIONS,
    contract,
    initial_arcs,
)
from routing.engine.hierarchy import Hierarchy, unpack, upward_search
from routing.engine.planner import node_endpoint, search
from routing.engine.prepared import prepare
from routing.graph.graph import PedestrianGraph
from routing.profiles import PRESETS
from tests.routing.engine.oracle import assert_optimal, oracle_graph

PAIRS = 25


def _check_pairs(pg, metric, oracle: nx.DiGraph, seed: int) -> int:  # type: ignore[no-untyped-def]
    """Every pair's cost equals the oracle's; returns how many pairs had a route."""
    rng = np.random.default_rng(seed)
    pairs = rng.integers(0, pg.node_count, size=(PAIRS, 2)).tolist()
    return sum(assert_optimal(pg, metric, oracle, s, t) is not None and s != t for s, t in pairs)


@pytest.mark.slow
@pytest.mark.parametrize("key", sorted(PRESETS))
def test_hierarchy_cost_equals_networkx_for_every_preset(helsinki, key: str, settings) -> None:
    pg = prepare(helsinki)
    assert len(pg.heads) <= settings.ROUTING_HIERARCHY_SYNC_EDGES
    metric = pg.metric(PRESETS[key], time.time())
    hierarchy = metric.hierarchy
    assert hierarchy is not None and metric.builder is None, "a small graph builds it at once"
    assert hierarchy.arc_count > 0
    oracle = oracle_graph(helsinki, metric.costs.total_s)
    assert _check_pairs(pg, metric, oracle, seed=len(key)) > PAIRS // 2


@pytest.mark.parametrize("witness_budget", [WITNESS_RELAXATIONS, 1])
def test_hierarchy_is_exact_on_a_random_directed_graph(witness_budget: int) -> None:
    """One-way and asymmetric costs, parallel edges and blocked edges: the upward search with
    unpacking matches a plain Dijkstra from every node (searched directly on the hierarchy).
    Witness searches cut short (budget 1) only add shortcuts, never wrong distances."""
    rng = np.random.default_rng(7)
    n, m = 300, 1400
    tails = rng.integers(0, n, m)
    heads = rng.integers(0, n, m)
    cost = rng.uniform(1, 50, m)
    cost[rng.random(m) < 0.1] = np.inf
    lo, hi, wf, wb, ef, eb = initial_arcs(tails, heads, cost)
    h = Hierarchy(*contract(n, lo, hi, wf, wb, ef, eb, witness_budget, PRIORITY_WEIGHTS), 0.0)
    g = nx.MultiDiGraph()
    g.add_nodes_from(range(n))
    for e in np.flatnonzero(np.isfinite(cost)).tolist():
        g.add_edge(int(tails[e]), int(heads[e]), weight=float(cost[e]))
    dist = np.zeros((2, n))
    pred = np.zeros((2, n), dtype=np.int64)
    stamp = np.zeros((2, n), dtype=np.int64)
    keys = np.zeros((2, 4 * m))
    nodes = np.zeros((2, 4 * m), dtype=np.int64)
    query = 0
    for s in range(0, n, 15):
        truth = nx.single_source_dijkstra_path_length(g, s)
        for t in range(n):
            query += 1
            best, meet, _settled, ok = upward_search(
                h.up_start, h.up_head, h.up_wf, h.up_wb,
                h.rank[[s]], np.zeros(1), h.rank[[t]], np.zeros(1),
                dist, pred, stamp, keys, nodes, query,
            )  # fmt: skip
            assert ok
            if t not in truth:
                assert meet < 0 and not np.isfinite(best), (s, t)
                continue
            assert best == pytest.approx(truth[t], rel=1e-12), (s, t)
            edges, _, _ = unpack(h.up_start, h.up_head, h.up_tail, h.up_mid, pred, meet)
            if s == t:
                continue
            assert tails[edges[0]] == s and heads[edges[-1]] == t
            assert (heads[edges[:-1]] == tails[edges[1:]]).all()
            assert cost[edges].sum() == pytest.approx(truth[t], rel=1e-12)


def test_large_graph_answers_exactly_while_the_hierarchy_builds_in_background(
    helsinki: PedestrianGraph, settings, monkeypatch
) -> None:
    """Above ROUTING_HIERARCHY_SYNC_EDGES the build runs in a thread: the first answers come from
    the ALT search (exact), later ones from the hierarchy, with the same costs."""
    settings.ROUTING_HIERARCHY_SYNC_EDGES = 0
    gate = threading.Event()
    real_build = prepared_module.build_hierarchy

    def held_build(*args, **kwargs):  # type: ignore[no-untyped-def]
        assert gate.wait(60), "the test never released the build"
        return real_build(*args, **kwargs)

    monkeypatch.setattr(prepared_module, "build_hierarchy", held_build)
    pg = prepare(helsinki)
    profile = PRESETS["manual_wheelchair"]
    metric = pg.metric(profile, time.time())
    assert metric.builder is not None and metric.builder.is_alive()
    assert metric.hierarchy is None, "the request did not wait for the build"
    oracle = oracle_graph(helsinki, metric.costs.total_s)
    rng = np.random.default_rng(3)
    pairs = rng.integers(0, pg.node_count, size=(PAIRS, 2)).tolist()
    before = [search(pg, metric, node_endpoint(s), node_endpoint(t)) for s, t in pairs]
    _check_pairs(pg, metric, oracle, seed=3)
    gate.set()
    assert metric.wait_for_hierarchy(timeout_s=300) is not None
    assert pg.metric(profile, time.time()) is metric
    after = [search(pg, metric, node_endpoint(s), node_endpoint(t)) for s, t in pairs]
    _check_pairs(pg, metric, oracle, seed=3)
    for old, new in zip(before, after, strict=True):
        assert (old is None) == (new is None)
        if old is not None and new is not None:
            assert new.cost_s == pytest.approx(old.cost_s, rel=1e-9, abs=1e-9)
    # the hierarchy search settles far fewer nodes than ALT did on the same pairs
    routed = [(o, n) for o, n in zip(before, after, strict=True) if o is not None and n is not None]
    assert sum(n.settled for _, n in routed) < sum(o.settled for o, _ in routed)


def test_queued_background_build_of_a_dropped_metric_is_skipped(
    helsinki: PedestrianGraph, settings
) -> None:
    """Builds wait their turn; one whose metric is no longer kept (obstacles changed, evicted)
    by then is not built at all, so outdated hierarchies never hold up current ones."""
    settings.ROUTING_HIERARCHY_SYNC_EDGES = 0
    pg = prepare(helsinki)
    with prepared_module._build_lock:  # another graph's build is running
        dropped = pg.metric(PRESETS["stroller"], time.time())
        kept = pg.metric(PRESETS["walker_cane"], time.time())
        pg._metrics.pop(next(k for k, m in pg._metrics.items() if m is dropped))
    assert kept.wait_for_hierarchy(timeout_s=300) is not None
    assert dropped.builder is not None
    dropped.builder.join(300)
    assert not dropped.builder.is_alive()
    assert dropped.hierarchy is None
