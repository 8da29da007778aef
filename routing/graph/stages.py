"""Build stages: each takes the graph, checks what it needs, fills arrays and returns the graph.

The recipe that calls them in order is :func:`routing.graph.build.build_graph`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pyproj import Geod
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from importers.osm.network import RawNetwork
from routing.graph.attributes import node_values, splits_way, way_values
from routing.graph.contract import (
    DATA_SOURCE,
    EDGE_ARRAYS,
    EDGE_SPECS,
    KIND,
    OVERLAY_ARRAYS,
    UNKNOWN,
    empty,
    reverse_values,
)
from routing.graph.graph import PedestrianGraph

GEOD = Geod(ellps="WGS84")
NODE_ARRAYS: dict[str, tuple[str, float | int]] = {
    "kerb": ("int8", UNKNOWN),
    "kerb_height_cm": ("float32", np.nan),
    "barrier": ("int8", UNKNOWN),
    "crossing": ("int8", UNKNOWN),
    "crossing_signals": ("int8", UNKNOWN),
    "elevator": ("int8", 0),
    "wheelchair": ("int8", UNKNOWN),
    "tactile_paving": ("int8", UNKNOWN),
    "elevation_m": ("float32", np.nan),
}


def segments_from_raw(raw: RawNetwork) -> PedestrianGraph:
    """Split ways into segments at shared nodes, way ends and routing-relevant nodes.

    Kerbs, crossings, barriers and elevators become graph nodes so that an edge's kerb is at
    its ends. Zero-length segments (a way folding back on one node) are dropped and counted.
    """
    graph = PedestrianGraph(report=raw.report.copy())
    refs, offsets = raw.refs, raw.way_offsets
    way_of_pos = np.repeat(np.arange(raw.way_count, dtype=np.int64), np.diff(offsets))
    split = np.zeros(len(refs), dtype=bool)
    split[offsets[:-1]] = True
    split[offsets[1:] - 1] = True
    _, inverse, counts = np.unique(refs, return_inverse=True, return_counts=True)
    split |= counts[inverse] >= 2
    splitting = np.fromiter(
        (node for node, tags in raw.node_tags.items() if splits_way(tags)), dtype=np.int64
    )
    split |= np.isin(refs, splitting)
    points = np.flatnonzero(split)
    same_way = way_of_pos[points[:-1]] == way_of_pos[points[1:]]
    starts, ends = points[:-1][same_way], points[1:][same_way]

    node_ids, first = np.unique(refs[points], return_index=True)
    graph.nodes["osm_id"] = node_ids
    graph.nodes["lon"] = raw.lon[points[first]]
    graph.nodes["lat"] = raw.lat[points[first]]
    seg = graph.segments
    seg["u"] = np.searchsorted(node_ids, refs[starts]).astype(np.int32)
    seg["v"] = np.searchsorted(node_ids, refs[ends]).astype(np.int32)
    seg["way"] = way_of_pos[starts].astype(np.int32)
    seg["start_pos"], seg["end_pos"] = starts, ends
    _set_geometry(graph, raw, starts, ends)
    graph.meta["source"] = raw.source
    graph.ran("segments_from_raw", ways=raw.way_count, segments=len(starts))
    return drop_zero_length(add_lengths(graph))


def _set_geometry(
    graph: PedestrianGraph, raw: RawNetwork, starts: np.ndarray, ends: np.ndarray
) -> None:
    sizes = ends - starts + 1
    offsets = np.zeros(len(sizes) + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    positions = np.repeat(starts - offsets[:-1], sizes) + np.arange(offsets[-1])
    graph.segments["geom_offsets"] = offsets
    graph.segments["geom_lon"] = raw.lon[positions]
    graph.segments["geom_lat"] = raw.lat[positions]


def geodesic_m(
    lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray, lat2: np.ndarray
) -> np.ndarray:
    """Distances on the WGS84 ellipsoid in metres (vectorised; a sphere is 0.3 % off at 60 N)."""
    if len(lon1) == 0:
        return np.zeros(0)
    _, _, distance = GEOD.inv(lon1, lat1, lon2, lat2)
    return np.asarray(distance, dtype=np.float64)


def add_lengths(graph: PedestrianGraph) -> PedestrianGraph:
    """``length_m`` of every segment along its geometry."""
    seg = graph.segments
    lon, lat, offsets = seg["geom_lon"], seg["geom_lat"], seg["geom_offsets"]
    pair = geodesic_m(lon[:-1], lat[:-1], lon[1:], lat[1:])
    pair[offsets[1:-1] - 1] = 0.0  # pairs straddling two segments
    if graph.segment_count:
        seg["length_m"] = np.add.reduceat(pair, offsets[:-1]).astype(np.float32)
        single = np.diff(offsets) < 2
        seg["length_m"][single] = 0.0
    else:
        seg["length_m"] = np.zeros(0, dtype=np.float32)
    graph.ran("add_lengths")
    return graph


def drop_zero_length(graph: PedestrianGraph) -> PedestrianGraph:
    """Remove segments of zero length (duplicate coordinates) and count them."""
    keep = graph.segments["length_m"] > 0
    dropped = int((~keep).sum())
    if dropped:
        graph.report["segments_dropped_zero_length"] += dropped
        select_segments(graph, keep)
    graph.ran("drop_zero_length", dropped=dropped)
    return graph


def select_segments(graph: PedestrianGraph, keep: np.ndarray) -> None:
    """Keep only the segments where ``keep`` is True (geometry included)."""
    seg = graph.segments
    offsets = seg["geom_offsets"]
    sizes = np.diff(offsets)[keep]
    point_keep = np.repeat(keep, np.diff(offsets))
    for name, values in list(seg.items()):
        if name in ("geom_lon", "geom_lat"):
            seg[name] = values[point_keep]
        elif name != "geom_offsets":
            seg[name] = values[keep]
    new_offsets = np.zeros(len(sizes) + 1, dtype=np.int64)
    np.cumsum(sizes, out=new_offsets[1:])
    seg["geom_offsets"] = new_offsets


def add_way_attributes(graph: PedestrianGraph, raw: RawNetwork) -> PedestrianGraph:
    """Edge attributes from way tags (memoised per distinct tag set), in segment direction."""
    graph.require("segments_from_raw", "add_way_attributes")
    cache: dict[tuple[tuple[str, str], ...], dict[str, Any]] = {}
    rows = []
    for tags in raw.way_tags:
        key = tuple(sorted(tags.items()))
        values = cache.get(key)
        if values is None:
            values = cache[key] = way_values(tags)
        rows.append(values)
    names = [spec.name for spec in EDGE_ARRAYS if spec.name not in ("length_m",)]
    names += ["oneway", "way_kerb", "way_kerb_cm"]
    way_index = graph.segments["way"]
    for name in names:
        spec = EDGE_SPECS.get(name)
        dtype = spec.dtype if spec else ("float32" if name.endswith("_cm") else "int8")
        default = spec.unknown if spec else (np.nan if name.endswith("_cm") else 0)
        per_way = np.fromiter(
            (row.get(name, default) for row in rows), dtype=dtype, count=len(rows)
        )
        graph.segments[name] = per_way[way_index]
    seg = graph.segments
    seg["osm_way_id"] = np.asarray(raw.way_ids, dtype=np.int64)[way_index]
    seg["osm_timestamp_s"] = np.asarray(raw.way_timestamp_s, dtype=np.int64)[way_index]
    seg["osm_node_id"] = np.full(graph.segment_count, UNKNOWN, dtype=np.int64)
    seg["source"] = np.full(graph.segment_count, DATA_SOURCE.index(raw.source), dtype=np.int8)
    graph.ran("add_way_attributes", distinct_tag_sets=len(cache))
    return graph


def add_node_attributes(graph: PedestrianGraph, raw: RawNetwork) -> PedestrianGraph:
    """Kerb, barrier, crossing, elevator and wheelchair attributes of graph nodes."""
    graph.require("segments_from_raw", "add_node_attributes")
    count = graph.node_count
    for name, (dtype, unknown) in NODE_ARRAYS.items():
        graph.nodes[name] = np.full(count, unknown, dtype=dtype)
    osm_ids = graph.nodes["osm_id"]
    tagged = np.fromiter(raw.node_tags, dtype=np.int64, count=len(raw.node_tags))
    index = np.searchsorted(osm_ids, tagged)
    found = (index < count) & (osm_ids[np.minimum(index, max(count - 1, 0))] == tagged)
    for node, position in zip(tagged[found].tolist(), index[found].tolist(), strict=True):
        for name, value in node_values(raw.node_tags[node]).items():
            graph.nodes[name][position] = value
    graph.report["kerb_nodes"] = int((graph.nodes["kerb"] >= 0).sum())
    graph.report["elevator_nodes"] = int(graph.nodes["elevator"].sum())
    graph.ran("add_node_attributes")
    return graph


def attach_kerbs(graph: PedestrianGraph, raw: RawNetwork) -> PedestrianGraph:
    """Kerb kind and height at both ends of each segment, from kerb nodes or crossing way tags.

    Node-level crossing type and signals also fill crossing edges whose way tags are silent.
    """
    graph.require("add_node_attributes", "attach_kerbs")
    seg, nodes = graph.segments, graph.nodes
    for end in ("u", "v"):
        node = seg[end]
        kerb = nodes["kerb"][node].copy()
        height = nodes["kerb_height_cm"][node].copy()
        use_way = (kerb < 0) & (seg["way_kerb"] >= 0) & _at_way_end(graph, raw, end)
        kerb[use_way] = seg["way_kerb"][use_way]
        height[use_way] = seg["way_kerb_cm"][use_way]
        seg[f"kerb_{end}"], seg[f"kerb_{end}_cm"] = kerb, height
    crossing_kind = seg["kind"] == KIND.index("crossing")
    for end in ("u", "v"):
        node_crossing = nodes["crossing"][seg[end]]
        fill = crossing_kind & (seg["crossing"] < 0) & (node_crossing >= 0)
        seg["crossing"][fill] = node_crossing[fill]
        signals = nodes["crossing_signals"][seg[end]]
        fill = crossing_kind & (seg["crossing_signals"] < 0) & (signals >= 0)
        seg["crossing_signals"][fill] = signals[fill]
    graph.ran("attach_kerbs")
    return graph


def _at_way_end(graph: PedestrianGraph, raw: RawNetwork, end: str) -> np.ndarray:
    """Segments whose ``end`` is the first (u) or last (v) node of their way piece."""
    seg = graph.segments
    way_starts, way_ends = raw.way_offsets[:-1], raw.way_offsets[1:] - 1
    if end == "u":
        return seg["start_pos"] == way_starts[seg["way"]]
    return seg["end_pos"] == way_ends[seg["way"]]


def explode_elevators(graph: PedestrianGraph) -> PedestrianGraph:
    """Give each elevator node one stop per connected way and elevator edges between the stops.

    An elevator out of order can then block exactly its ride, not the footways leading to it.
    Elevator nodes with a single way are kept as they are (the other level is not mapped) and
    counted as ``elevators_dead_end``.
    """
    graph.require("attach_kerbs", "explode_elevators")
    seg, nodes = graph.segments, graph.nodes
    elevators = np.flatnonzero(nodes["elevator"] == 1)
    ends: dict[int, list[tuple[int, str]]] = {int(e): [] for e in elevators}
    for end in ("u", "v"):
        for segment in np.flatnonzero(np.isin(seg[end], elevators)).tolist():
            ends[int(seg[end][segment])].append((segment, end))
    rides: list[tuple[int, int, int]] = []
    copies: list[int] = []
    for elevator, incident in ends.items():
        if len(incident) < 2:
            graph.report["elevators_dead_end"] += 1
            continue
        first_copy = graph.node_count + len(copies)
        stops = [elevator, *range(first_copy, first_copy + len(incident) - 1)]
        copies += [elevator] * (len(incident) - 1)
        for (segment, end), stop in zip(incident, stops, strict=True):
            seg[end][segment] = stop
        osm_id = int(nodes["osm_id"][elevator])
        rides += [(a, b, osm_id) for i, a in enumerate(stops) for b in stops[i + 1 :]]
    if copies:
        for name, values in nodes.items():
            nodes[name] = np.concatenate([values, values[copies]])
    if rides:
        _append_elevator_segments(graph, rides)
    graph.report["elevator_rides"] = len(rides)
    graph.ran("explode_elevators", rides=len(rides))
    return graph


def _append_elevator_segments(graph: PedestrianGraph, rides: list[tuple[int, int, int]]) -> None:
    seg, nodes = graph.segments, graph.nodes
    count = len(rides)
    a = np.array([r[0] for r in rides], dtype=np.int32)
    b = np.array([r[1] for r in rides], dtype=np.int32)
    extra: dict[str, np.ndarray] = {}
    for name, values in seg.items():
        spec = EDGE_SPECS.get(name)
        extra[name] = empty(spec, count) if spec else np.zeros(count, dtype=values.dtype)
    extra["u"], extra["v"] = a, b
    extra["kind"][:] = KIND.index("elevator")
    extra["elevator"][:] = 1
    extra["escalator"][:] = 0
    extra["no_sidewalk"][:] = 0
    extra["length_m"][:] = 0.0
    extra["way"][:] = -1
    extra["osm_way_id"][:] = UNKNOWN
    extra["osm_timestamp_s"][:] = UNKNOWN
    extra["osm_node_id"] = np.array([r[2] for r in rides], dtype=np.int64)
    extra["source"][:] = DATA_SOURCE.index("virtual")
    extra["kerb_u"][:] = UNKNOWN
    extra["kerb_v"][:] = UNKNOWN
    offsets = seg["geom_offsets"]
    for name, values in extra.items():
        if name not in ("geom_offsets", "geom_lon", "geom_lat"):
            seg[name] = np.concatenate([seg[name], values])
    # A ride is drawn as a zero-length line at the elevator.
    lon = np.repeat(nodes["lon"][a], 2)
    lat = np.repeat(nodes["lat"][a], 2)
    seg["geom_lon"] = np.concatenate([seg["geom_lon"], lon])
    seg["geom_lat"] = np.concatenate([seg["geom_lat"], lat])
    seg["geom_offsets"] = np.concatenate([offsets, offsets[-1] + 2 * np.arange(1, count + 1)])


def make_directed(graph: PedestrianGraph) -> PedestrianGraph:
    """Directed edges (both ways unless one-way for pedestrians), sorted by ``u`` into CSR.

    Direction-dependent attributes follow the ``reverse`` rule of each array in the contract:
    inclines and mean grades change sign, up/down grades and start/end kerbs swap.
    """
    seg = graph.segments
    forward = np.flatnonzero(seg["oneway"] >= 0)
    backward = np.flatnonzero(seg["oneway"] <= 0)
    edges: dict[str, np.ndarray] = {
        "u": np.concatenate([seg["u"][forward], seg["v"][backward]]),
        "v": np.concatenate([seg["v"][forward], seg["u"][backward]]),
        "segment": np.concatenate([forward, backward]).astype(np.int32),
        "reversed": np.concatenate(
            [np.zeros(len(forward), dtype=bool), np.ones(len(backward), dtype=bool)]
        ),
    }
    for spec in EDGE_ARRAYS:
        edges[spec.name] = np.concatenate(
            [seg[spec.name][forward], reverse_values(spec, seg, backward)]
        ).astype(spec.dtype)
    order = np.argsort(edges["u"], kind="stable")
    graph.edges = {name: values[order] for name, values in edges.items()}
    _link_reverse_edges(graph)
    for spec in OVERLAY_ARRAYS:
        graph.edges[spec.name] = empty(spec, graph.edge_count)
    counts = np.bincount(graph.edges["u"], minlength=graph.node_count)
    graph.indptr = np.zeros(graph.node_count + 1, dtype=np.int64)
    np.cumsum(counts, out=graph.indptr[1:])
    graph.ran("make_directed", edges=graph.edge_count)
    return graph


def _link_reverse_edges(graph: PedestrianGraph) -> None:
    edges, count = graph.edges, graph.segment_count
    forward_edge = np.full(count, -1, dtype=np.int32)
    backward_edge = np.full(count, -1, dtype=np.int32)
    index = np.arange(graph.edge_count, dtype=np.int32)
    rev = edges["reversed"]
    forward_edge[edges["segment"][~rev]] = index[~rev]
    backward_edge[edges["segment"][rev]] = index[rev]
    edges["reverse"] = np.where(
        rev, forward_edge[edges["segment"]], backward_edge[edges["segment"]]
    )
    graph.segments["forward_edge"], graph.segments["backward_edge"] = forward_edge, backward_edge


def label_components(graph: PedestrianGraph) -> PedestrianGraph:
    """Weakly connected components per node, numbered by size (0 = largest)."""
    graph.require("make_directed", "label_components")
    n = graph.node_count
    matrix = csr_matrix(
        (np.ones(graph.edge_count, dtype=np.int8), (graph.edges["u"], graph.edges["v"])),
        shape=(n, n),
    )
    count, labels = connected_components(matrix, directed=True, connection="weak")
    sizes = np.bincount(labels, minlength=count)
    rank = np.empty(count, dtype=np.int32)
    rank[np.argsort(-sizes, kind="stable")] = np.arange(count, dtype=np.int32)
    graph.nodes["component"] = rank[labels]
    graph.report["components"] = int(count)
    graph.ran("label_components", components=int(count))
    return graph
