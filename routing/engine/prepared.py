"""Per-graph preparation and per-profile metrics, cached in the process.

:class:`PreparedGraph` holds what does not depend on a profile: the reverse CSR, the snapping
grid, landmark nodes with their distances on the length metric (valid lower bounds for every
profile, since no edge is faster than the flat speed) and a workspace per thread.
:class:`Metric` holds one profile's costs at one moment (the set of obstacles in force), the
usable segments, weak components and, for profiles used more than once (the presets, or a
slider left in place), exact landmark distances on that metric and a contraction hierarchy
(:mod:`routing.engine.hierarchy`). A moved slider therefore costs one vectorised cost pass plus
an ALT search with the length landmarks; an exact metric gets tighter bounds after its first use
and hierarchy queries once the hierarchy is built. Small graphs build it at once for every exact
metric; large ones only for the presets and walking, in a background thread (the compiled build releases
the GIL): answers never wait for it, they are exact either way, only faster once it is there.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from routing.engine.attributes import EdgeValues, edge_values
from routing.engine.costs import EdgeCosts, compute_costs
from routing.engine.hierarchy import Hierarchy, build_hierarchy
from routing.engine.search import dijkstra_all
from routing.engine.snapping import SnapIndex, build_snap_index
from routing.graph.graph import PedestrianGraph
from routing.profiles import PRESETS, WALKING, Profile, profile_key

LANDMARKS = 12
ACTIVE_LANDMARKS = 6
METRICS_KEPT = 8
# A custom profile gets its own landmarks once it has been used this many times.
EXACT_AFTER_USES = 3

log = logging.getLogger(__name__)
# One hierarchy build at a time: they are CPU-bound and a graph's metrics share the cores.
_build_lock = threading.Lock()


@dataclass
class Landmarks:
    nodes: np.ndarray
    dist_from: np.ndarray  # (N, K) float32: d(L_k, v)
    dist_to: np.ndarray  # (N, K) float32: d(v, L_k)
    seconds_per_unit: float  # multiply distances by this to get a bound in seconds
    build_s: float


@dataclass
class Workspace:
    dist: np.ndarray
    pred: np.ndarray
    stamp: np.ndarray
    pot: np.ndarray
    pot_stamp: np.ndarray
    keys: np.ndarray
    nodes: np.ndarray
    query: int = 0

    def next_query(self) -> int:
        self.query += 1
        if self.query >= 2**31 - 1:
            self.stamp[:] = 0
            self.pot_stamp[:] = 0
            self.query = 1
        return self.query


@dataclass
class Metric:
    """One profile's costs at one moment, with what the search needs."""

    profile: Profile
    values: EdgeValues
    costs: EdgeCosts
    usable_segment: np.ndarray
    component: np.ndarray
    landmarks: Landmarks
    exact: bool
    uses: int = 0
    build_s: float = 0.0
    hierarchy: Hierarchy | None = None
    builder: threading.Thread | None = None
    preparing: bool = False

    def wait_for_hierarchy(self, timeout_s: float | None = None) -> Hierarchy | None:
        """The hierarchy, waiting for a background build if one is running."""
        builder = self.builder
        if builder is not None:
            builder.join(timeout_s)
        return self.hierarchy


@dataclass
class PreparedGraph:
    graph: PedestrianGraph
    indptr: np.ndarray
    heads: np.ndarray
    tails: np.ndarray
    rindptr: np.ndarray
    rtails: np.ndarray
    redge: np.ndarray
    edge_ids: np.ndarray
    snap_index: SnapIndex
    base_landmarks: Landmarks
    obstacle_edges: np.ndarray
    prepare_s: float
    _values: dict[float, EdgeValues] = field(default_factory=dict)
    _metrics: OrderedDict[tuple[Any, ...], Metric] = field(default_factory=OrderedDict)
    _local: threading.local = field(default_factory=threading.local)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def node_count(self) -> int:
        return len(self.indptr) - 1

    @property
    def all_segments(self) -> np.ndarray:
        return np.ones(self.graph.segment_count, dtype=bool)

    def workspace(self) -> Workspace:
        ws: Workspace | None = getattr(self._local, "ws", None)
        if ws is None:
            n, e = self.node_count, len(self.heads)
            ws = Workspace(
                dist=np.zeros((2, n)),
                pred=np.zeros((2, n), dtype=np.int64),
                stamp=np.zeros((2, n), dtype=np.int64),
                pot=np.zeros(n),
                pot_stamp=np.zeros(n, dtype=np.int64),
                keys=np.zeros((2, e + 8)),
                nodes=np.zeros((2, e + 8), dtype=np.int64),
            )
            self._local.ws = ws
        return ws

    def values(self, min_confidence: float) -> EdgeValues:
        with self._lock:
            if min_confidence not in self._values:
                self._values[min_confidence] = edge_values(self.graph, min_confidence)
            return self._values[min_confidence]

    def obstacle_key(self, at_s: float) -> tuple[int, ...]:
        until = np.asarray(self.graph.edges["obstacle_until_s"])[self.obstacle_edges]
        return tuple(self.obstacle_edges[until > at_s].tolist())

    def metric(self, profile: Profile, at_s: float, *, exact: bool | None = None) -> Metric:
        """The cached metric of ``profile`` at ``at_s`` (computed on first use)."""
        key = (profile_key(profile), self.obstacle_key(at_s))
        metric = self._metrics.get(key)
        if metric is None:
            metric = self._new_metric(profile, at_s)
            with self._lock:
                self._metrics[key] = metric
                while len(self._metrics) > METRICS_KEPT:
                    self._metrics.popitem(last=False)
        else:
            self._metrics.move_to_end(key)
        metric.uses += 1
        wants_exact = exact
        if wants_exact is None:
            wants_exact = (
                profile.key in PRESETS
                or profile.key == WALKING.key  # every route is compared with the walking one
                or metric.uses >= EXACT_AFTER_USES
            )
        if wants_exact and self._claim(metric):
            metric.landmarks = compute_landmarks(
                self, metric.costs.total_s, self.base_landmarks.nodes
            )
            metric.exact = True
            # the walking metric too: every full answer compares with the walking route
            if self._small() or profile.key in PRESETS or profile.key == WALKING.key:
                self._start_hierarchy(metric)
        return metric

    def _small(self) -> bool:
        return len(self.heads) <= settings.ROUTING_HIERARCHY_SYNC_EDGES

    def _claim(self, metric: Metric) -> bool:
        """True for the one caller that prepares ``metric``'s exact landmarks and hierarchy
        (concurrent first requests keep answering with the length landmarks meanwhile)."""
        with self._lock:
            if metric.exact or metric.preparing:
                return False
            metric.preparing = True
            return True

    def _start_hierarchy(self, metric: Metric) -> None:
        """Build on a small graph now; on a large one (presets and walking only: a slider
        setting is not worth minutes of CPU) in a background thread, one build at a time. A queued build is
        skipped if its metric was dropped before its turn (obstacles changed, evicted, or the
        whole prepared graph replaced after an overlay change): the thread holds weak
        references only, so it never keeps an outdated graph alive."""
        if self._small():
            self._build_hierarchy(metric)
            return
        graph_ref, metric_ref = weakref.ref(self), weakref.ref(metric)

        def build_in_turn() -> None:
            with _build_lock:
                pg, kept = graph_ref(), metric_ref()
                if pg is not None and kept is not None and pg._keeps(kept):
                    pg._build_hierarchy(kept)

        metric.builder = threading.Thread(
            target=build_in_turn, name=f"hierarchy-{metric.profile.key}", daemon=True
        )
        metric.builder.start()

    def _keeps(self, metric: Metric) -> bool:
        with self._lock:
            return any(kept is metric for kept in self._metrics.values())

    def _build_hierarchy(self, metric: Metric) -> None:
        try:
            metric.hierarchy = build_hierarchy(
                self.tails, self.heads, metric.costs.total_s, self.node_count
            )
        except Exception:  # a failed build leaves the (exact) ALT search in charge
            log.exception("contraction hierarchy build failed for %s", metric.profile.key)

    def _new_metric(self, profile: Profile, at_s: float) -> Metric:
        started = time.perf_counter()
        values = self.values(profile.min_confidence)
        costs = compute_costs(values, profile, at_s)
        passable = np.isfinite(costs.total_s)
        seg = self.graph.segments
        usable = np.zeros(self.graph.segment_count, dtype=bool)
        usable[np.asarray(self.graph.edges["segment"])[passable]] = True
        del seg
        component = weak_components(self, passable)
        base = self.base_landmarks
        landmarks = Landmarks(
            base.nodes, base.dist_from, base.dist_to, 1.0 / profile.speed_mps, base.build_s
        )
        return Metric(
            profile,
            values,
            costs,
            usable,
            component,
            landmarks,
            exact=False,
            build_s=time.perf_counter() - started,
        )


def weak_components(pg: PreparedGraph, passable: np.ndarray) -> np.ndarray:
    n = pg.node_count
    tails, heads = pg.tails[passable], pg.heads[passable]
    matrix = csr_matrix((np.ones(len(tails), dtype=np.int8), (tails, heads)), shape=(n, n))
    _, labels = connected_components(matrix, directed=True, connection="weak")
    return labels.astype(np.int64)


def _choose_landmarks(pg: PreparedGraph, length: np.ndarray, count: int) -> np.ndarray:
    """Farthest-point landmarks on the length metric, within the largest component."""
    component = weak_components(pg, np.ones(len(pg.heads), dtype=bool))
    largest = np.bincount(component).argmax()
    members = np.flatnonzero(component == largest)
    if members.size == 0:
        return np.zeros(0, dtype=np.int64)
    lon, lat = np.asarray(pg.graph.nodes["lon"]), np.asarray(pg.graph.nodes["lat"])
    centre = members[
        np.argmin(np.hypot(lon[members] - lon[members].mean(), lat[members] - lat[members].mean()))
    ]
    chosen: list[int] = []
    nearest = np.full(pg.node_count, np.inf)
    source = int(centre)
    for _ in range(min(count, members.size)):
        dist, _pred = dijkstra_all(
            pg.indptr, pg.heads, pg.edge_ids, length, np.array([source]), np.zeros(1), np.inf
        )
        # the first search (from the centre) only finds the first landmark
        nearest = np.minimum(nearest, dist) if chosen else dist.copy()
        candidates = np.where(np.isfinite(nearest) & (component == largest), nearest, -1.0)
        source = int(np.argmax(candidates))
        if candidates[source] <= 0:
            break
        chosen.append(source)
        nearest[source] = 0.0
    return np.array(chosen, dtype=np.int64)


def compute_landmarks(pg: PreparedGraph, cost: np.ndarray, nodes: np.ndarray) -> Landmarks:
    """Distances from and to each landmark on ``cost`` (float32, inf unreachable)."""
    started = time.perf_counter()
    n, k = pg.node_count, len(nodes)
    dist_from = np.empty((n, k), dtype=np.float32)
    dist_to = np.empty((n, k), dtype=np.float32)
    for j, node in enumerate(nodes.tolist()):
        seeds, zero = np.array([node]), np.zeros(1)
        dist_from[:, j], _ = dijkstra_all(
            pg.indptr, pg.heads, pg.edge_ids, cost, seeds, zero, np.inf
        )
        dist_to[:, j], _ = dijkstra_all(pg.rindptr, pg.rtails, pg.redge, cost, seeds, zero, np.inf)
    # float32 rounding must never make a bound exceed the truth: shrink by a relative epsilon
    dist_from *= np.float32(1 - 1e-6)
    dist_to *= np.float32(1 - 1e-6)
    return Landmarks(nodes, dist_from, dist_to, 1.0, time.perf_counter() - started)


def prepare(graph: PedestrianGraph) -> PreparedGraph:
    """Reverse CSR, snapping grid and length landmarks of ``graph`` (seconds on a 1M-edge city)."""
    started = time.perf_counter()
    tails = np.asarray(graph.edges["u"], dtype=np.int64)
    heads = np.asarray(graph.edges["v"], dtype=np.int64)
    n = graph.node_count
    order = np.argsort(heads, kind="stable")
    rindptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(heads, minlength=n), out=rindptr[1:])
    until = np.asarray(graph.edges["obstacle_until_s"])
    pg = PreparedGraph(
        graph=graph,
        indptr=np.asarray(graph.indptr, dtype=np.int64),
        heads=heads,
        tails=tails,
        rindptr=rindptr,
        rtails=tails[order],
        redge=order.astype(np.int64),
        edge_ids=np.arange(len(heads), dtype=np.int64),
        snap_index=build_snap_index(graph),
        base_landmarks=Landmarks(
            np.zeros(0, dtype=np.int64),
            np.zeros((n, 0), np.float32),
            np.zeros((n, 0), np.float32),
            1.0,
            0.0,
        ),
        obstacle_edges=np.flatnonzero(~np.isnan(until)),
        prepare_s=0.0,
    )
    length = np.asarray(graph.edges["length_m"], dtype=np.float64)
    nodes = _choose_landmarks(pg, length, LANDMARKS)
    pg.base_landmarks = compute_landmarks(pg, length, nodes)
    pg.prepare_s = time.perf_counter() - started
    return pg


_prepare_lock = threading.Lock()
_ATTRIBUTE = "_engine_prepared"


def prepared(graph: PedestrianGraph) -> PreparedGraph:
    """The prepared form of ``graph``, stored on it (so it lives and dies with the graph)."""
    pg: PreparedGraph | None = getattr(graph, _ATTRIBUTE, None)
    if pg is not None:
        return pg
    with _prepare_lock:
        pg = getattr(graph, _ATTRIBUTE, None)
        if pg is None:
            pg = prepare(graph)
            setattr(graph, _ATTRIBUTE, pg)
        return pg
