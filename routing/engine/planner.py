"""Point-to-point paths: snap both ends onto usable edges (splitting them), search, alternatives.

A path is a list of :class:`Piece`: a directed edge and the share of it travelled, from
``start`` to ``stop`` (0 = its tail, 1 = its head). The first and last pieces are the split
edges of the snapped origin and destination; an origin and destination on the same edge may
give a one-piece path.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from django.conf import settings

from routing.engine.hierarchy import Hierarchy, unpack, upward_search
from routing.engine.prepared import ACTIVE_LANDMARKS, Metric, PreparedGraph
from routing.engine.search import bidirectional, choose_landmarks
from routing.engine.snapping import Snap, nearest_segment
from routing.errors import PointNotOnNetwork

# Alternatives: penalise the edges of routes found so far, keep a route that is at most this
# much costlier than the best and shares at most this share of its length with earlier ones.
ALTERNATIVE_PENALTY = 1.6
ALTERNATIVE_MAX_STRETCH = 1.5
ALTERNATIVE_MAX_SHARED = 0.7
# Looking this far for the nearest usable path, to say how far it is when past the limit.
FAR_SEARCH_M = 2000.0
_NO_EDGES = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class Piece:
    edge: int
    start: float
    stop: float


@dataclass
class Endpoint:
    snap: Snap | None  # None for an endpoint placed on a graph node
    lon: float
    lat: float
    nodes: np.ndarray
    costs: np.ndarray
    edges: np.ndarray  # the split edge leading to / from each seed node (-1: at the node)
    fractions: np.ndarray  # where on that edge the point lies
    edge_fraction: dict[int, float]


@dataclass
class Path:
    """Directed edges in order; the first is travelled from ``start``, the last up to ``stop``
    (fractions of those edges); a one-edge path goes from ``start`` to ``stop`` on it."""

    cost_s: float
    edges: np.ndarray
    start: float = 0.0
    stop: float = 1.0
    settled: int = 0

    def pieces(self) -> list[Piece]:
        n = len(self.edges)
        out = []
        for i, edge in enumerate(self.edges.tolist()):
            out.append(Piece(edge, self.start if i == 0 else 0.0, self.stop if i == n - 1 else 1.0))
        return out


def _edges_of_segment(pg: PreparedGraph, segment: int, fraction: float) -> dict[int, float]:
    """Directed edges along a segment with the snap's fraction in each edge's own direction."""
    seg = pg.graph.segments
    out = {}
    forward, backward = int(seg["forward_edge"][segment]), int(seg["backward_edge"][segment])
    if forward >= 0:
        out[forward] = fraction
    if backward >= 0:
        out[backward] = 1.0 - fraction
    return out


def snap_point(
    pg: PreparedGraph,
    metric: Metric,
    lon: float,
    lat: float,
    *,
    role: str,
    max_m: float | None = None,
) -> Snap:
    """Snap a point to the nearest segment the profile may use; refuse past the limit."""
    limit = settings.ROUTING_MAX_SNAP_M if max_m is None else max_m
    snap = nearest_segment(pg.snap_index, lon, lat, metric.usable_segment, limit)
    if snap is not None:
        return snap
    far = nearest_segment(pg.snap_index, lon, lat, metric.usable_segment, FAR_SEARCH_M)
    if far is None:
        msg = (
            f"The {role} is not within {FAR_SEARCH_M:.0f} m of any path this profile may use "
            "in this graph."
        )
        raise PointNotOnNetwork(msg, fields={role: [msg]}, limit_m=limit)
    msg = (
        f"The {role} is {far.distance_m:.0f} m from the nearest path this profile may use; "
        f"the limit is {limit:.0f} m. Move the point closer to a path."
    )
    raise PointNotOnNetwork(
        msg,
        fields={role: [msg]},
        limit_m=limit,
        nearest_m=round(far.distance_m, 1),
        nearest_point=[round(far.lon, 7), round(far.lat, 7)],
    )


def origin_endpoint(
    pg: PreparedGraph, metric: Metric, snap: Snap, lon: float, lat: float
) -> Endpoint:
    run, end = metric.costs.run_s, metric.costs.end_s
    nodes, costs, edges = [], [], []
    fractions = _edges_of_segment(pg, snap.segment, snap.fraction)
    for edge, fraction in fractions.items():
        if math.isfinite(run[edge]):
            nodes.append(int(pg.heads[edge]))
            costs.append((1.0 - fraction) * run[edge] + end[edge])
            edges.append(edge)
    return _endpoint(snap, lon, lat, nodes, costs, edges, fractions)


def destination_endpoint(
    pg: PreparedGraph, metric: Metric, snap: Snap, lon: float, lat: float
) -> Endpoint:
    run = metric.costs.run_s
    nodes, costs, edges = [], [], []
    fractions = _edges_of_segment(pg, snap.segment, snap.fraction)
    for edge, fraction in fractions.items():
        if math.isfinite(run[edge]):
            nodes.append(int(pg.tails[edge]))
            costs.append(fraction * run[edge])
            edges.append(edge)
    return _endpoint(snap, lon, lat, nodes, costs, edges, fractions)


def _endpoint(
    snap: Snap,
    lon: float,
    lat: float,
    nodes: list[int],
    costs: list[float],
    edges: list[int],
    fractions: dict[int, float],
) -> Endpoint:
    return Endpoint(
        snap,
        lon,
        lat,
        np.array(nodes, dtype=np.int64),
        np.array(costs, dtype=np.float64),
        np.array(edges, dtype=np.int64),
        np.array([fractions[e] for e in edges], dtype=np.float64),
        fractions,
    )


def node_endpoint(node: int) -> Endpoint:
    """An endpoint exactly on a graph node (trips between stops, tests)."""
    one = np.array([node], dtype=np.int64)
    return Endpoint(None, 0.0, 0.0, one, np.zeros(1), np.array([-1]), np.zeros(1), {})


def _direct(metric: Metric, origin: Endpoint, destination: Endpoint) -> Path | None:
    """Both ends on the same segment: travelling along it without leaving it."""
    if origin.snap is None or destination.snap is None:
        return None
    if origin.snap.segment != destination.snap.segment:
        return None
    best: Path | None = None
    for edge, start in origin.edge_fraction.items():
        stop = destination.edge_fraction[edge]
        run = metric.costs.run_s[edge]
        if stop >= start and math.isfinite(run):
            cost = (stop - start) * run
            if best is None or cost < best.cost_s:
                best = Path(cost, np.array([edge]), start, stop)
    return best


def connected(metric: Metric, origin: Endpoint, destination: Endpoint) -> bool:
    """Whether the ends share a weak component of the usable edges (a necessary condition)."""
    a = set(metric.component[origin.nodes].tolist())
    return bool(a & set(metric.component[destination.nodes].tolist()))


def search(
    pg: PreparedGraph,
    metric: Metric,
    origin: Endpoint,
    destination: Endpoint,
    cost: np.ndarray | None = None,
) -> Path | None:
    """The cheapest path between two snapped ends on ``cost`` (default: the metric's).

    The metric's own costs go through its contraction hierarchy once built; other costs (the
    penalised ones of alternatives) and metrics without one use the bidirectional ALT search.
    """
    direct = _direct(metric, origin, destination)
    if (
        not len(origin.nodes)
        or not len(destination.nodes)
        or not connected(metric, origin, destination)
    ):
        return direct
    found = None
    if cost is None and metric.hierarchy is not None:
        found = _hierarchy_search(pg, metric.hierarchy, origin, destination)
    if found is None:
        found = _alt_search(pg, metric, origin, destination, cost)
    best, edges, src_i, dst_i, settled = found
    if not math.isfinite(best):
        return direct
    if direct is not None and direct.cost_s <= best:
        return direct
    first, last = origin.edges[src_i], destination.edges[dst_i]
    parts = [edges]
    start, stop = 0.0, 1.0
    if first >= 0:
        parts.insert(0, origin.edges[src_i : src_i + 1])
        start = float(origin.fractions[src_i])
    if last >= 0:
        parts.append(destination.edges[dst_i : dst_i + 1])
        stop = float(destination.fractions[dst_i])
    return Path(float(best), np.concatenate(parts), start, stop, int(settled))


# (cost, edges from a source seed to a target seed, source seed index, target seed index, settled)
Found = tuple[float, np.ndarray, int, int, int]


def _hierarchy_search(
    pg: PreparedGraph, h: Hierarchy, origin: Endpoint, destination: Endpoint
) -> Found | None:
    ws = pg.workspace()
    best, meet, settled, ok = upward_search(
        h.up_start,
        h.up_head,
        h.up_wf,
        h.up_wb,
        h.rank[origin.nodes],
        origin.costs,
        h.rank[destination.nodes],
        destination.costs,
        ws.dist,
        ws.pred,
        ws.stamp,
        ws.keys,
        ws.nodes,
        ws.next_query(),
    )
    if not ok:
        return None
    if meet < 0:
        return math.inf, _NO_EDGES, -1, -1, settled
    edges, src_i, dst_i = unpack(h.up_start, h.up_head, h.up_tail, h.up_mid, ws.pred, meet)
    return best, edges, src_i, dst_i, settled


def _alt_search(
    pg: PreparedGraph,
    metric: Metric,
    origin: Endpoint,
    destination: Endpoint,
    cost: np.ndarray | None,
) -> Found:
    ws = pg.workspace()
    lm = metric.landmarks
    best, forward, backward, src_i, dst_i, settled = bidirectional(
        pg.indptr,
        pg.heads,
        pg.tails,
        pg.rindptr,
        pg.rtails,
        pg.redge,
        metric.costs.total_s if cost is None else cost,
        origin.nodes,
        origin.costs,
        destination.nodes,
        destination.costs,
        lm.dist_from,
        lm.dist_to,
        choose_landmarks(
            lm.dist_from, lm.dist_to, origin.nodes[0], destination.nodes[0], ACTIVE_LANDMARKS
        ),
        lm.seconds_per_unit,
        ws.dist,
        ws.pred,
        ws.stamp,
        ws.pot,
        ws.pot_stamp,
        ws.keys,
        ws.nodes,
        ws.next_query(),
    )
    return best, np.concatenate((forward, backward)), src_i, dst_i, settled


def path_cost(metric: Metric, path: Path, last_end: bool = False) -> float:
    """A path's cost on the metric (the true cost of an alternative found on penalised costs)."""
    run, end = metric.costs.run_s, metric.costs.end_s
    total = 0.0
    pieces = path.pieces()
    for i, piece in enumerate(pieces):
        total += (piece.stop - piece.start) * run[piece.edge]
        if piece.stop >= 1.0 and (i < len(pieces) - 1 or last_end):
            total += end[piece.edge]
    return float(total)


def _length_by_segment(pg: PreparedGraph, path: Path) -> dict[int, float]:
    segment = pg.graph.edges["segment"]
    length = pg.graph.edges["length_m"]
    out: dict[int, float] = {}
    for p in path.pieces():
        s = int(segment[p.edge])
        out[s] = out.get(s, 0.0) + float(length[p.edge]) * (p.stop - p.start)
    return out


def alternatives(
    pg: PreparedGraph,
    metric: Metric,
    origin: Endpoint,
    destination: Endpoint,
    best: Path,
    count: int,
) -> list[Path]:
    """Up to ``count`` clearly different paths (penalty method), each within the stretch limit."""
    found = [best]
    cost = metric.costs.total_s.copy()
    reverse = np.asarray(pg.graph.edges["reverse"])
    for _attempt in range(count * 2):
        if len(found) > count:
            break
        last = found[-1].edges.tolist()
        touched = np.array(
            last + [int(reverse[e]) for e in last if reverse[e] >= 0], dtype=np.int64
        )
        cost[touched] *= ALTERNATIVE_PENALTY
        candidate = search(pg, metric, origin, destination, cost)
        if candidate is None:
            break
        candidate.cost_s = path_cost(metric, candidate)
        if candidate.cost_s > best.cost_s * ALTERNATIVE_MAX_STRETCH:
            break
        mine = _length_by_segment(pg, candidate)
        total = sum(mine.values()) or 1.0
        shared = max(
            sum(v for s, v in mine.items() if s in _length_by_segment(pg, other)) / total
            for other in found
        )
        if shared <= ALTERNATIVE_MAX_SHARED:
            found.append(candidate)
    return found[1:]
