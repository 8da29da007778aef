"""Saving and loading the compact array form, and the per-process graph cache for the engine.

Layout under ``settings.ROUTING_GRAPH_DIR``::

    <name>/CURRENT                 the active build id (written atomically)
    <name>/<build_id>/meta.json    format version, source file hash, build time, vocabularies...
    <name>/<build_id>/node_lon.npy, edge_length_m.npy, segment_geom_lon.npy, indptr.npy, ...
    <name>/<build_id>/overlay.npz  crowdsourced overrides (sparse); overlay.json its stamp

Base arrays are memory-mapped read-only, so loading is instant and several worker processes
share the pages. :func:`get_graph` keeps one graph per name in memory and re-applies the overlay
when its stamp changes (one ``stat`` per call, no database query).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any, Literal

import numpy as np
from django.conf import settings

from routing.graph.contract import (
    EDGE_ARRAYS,
    FORMAT_VERSION,
    OVERLAY_ARRAYS,
    VOCABULARIES,
    empty,
)
from routing.graph.graph import PedestrianGraph

STORED_SEGMENT_ARRAYS = (
    "u",
    "v",
    "osm_way_id",
    "osm_node_id",
    "source",
    "osm_timestamp_s",
    "geom_offsets",
    "geom_lon",
    "geom_lat",
    "forward_edge",
    "backward_edge",
)
STORED_EDGE_ARRAYS = (
    "u",
    "v",
    "segment",
    "reversed",
    "reverse",
    *tuple(spec.name for spec in EDGE_ARRAYS),
)
NODE_ARRAYS = (
    "lon",
    "lat",
    "osm_id",
    "elevation_m",
    "kerb",
    "kerb_height_cm",
    "barrier",
    "crossing",
    "crossing_signals",
    "elevator",
    "wheelchair",
    "tactile_paving",
    "component",
)


class GraphNotBuilt(LookupError):
    """No graph has been built (or activated) under that name."""


def graph_root(name: str) -> Path:
    return Path(settings.ROUTING_GRAPH_DIR) / name


def _json_default(value: Any) -> Any:
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    msg = f"not JSON serialisable: {type(value)}"
    raise TypeError(msg)


def save_graph(graph: PedestrianGraph, directory: Path) -> Path:
    """Write all contract arrays and ``meta.json`` into ``directory`` (written aside, then renamed)."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".building-", dir=directory.parent))
    tables = {
        "node": (graph.nodes, NODE_ARRAYS),
        "segment": (graph.segments, STORED_SEGMENT_ARRAYS),
        "edge": (graph.edges, STORED_EDGE_ARRAYS),
    }
    arrays: dict[str, dict[str, Any]] = {}
    for prefix, (table, names) in tables.items():
        for name in names:
            values = np.ascontiguousarray(table[name])
            np.save(staging / f"{prefix}_{name}.npy", values, allow_pickle=False)
            arrays[f"{prefix}_{name}"] = {"dtype": str(values.dtype), "length": len(values)}
    np.save(staging / "indptr.npy", graph.indptr, allow_pickle=False)
    meta = {
        **graph.meta,
        "format_version": FORMAT_VERSION,
        "vocabularies": {k: list(v) for k, v in VOCABULARIES.items()},
        "arrays": arrays,
        "counts": {
            "nodes": graph.node_count,
            "segments": graph.segment_count,
            "edges": graph.edge_count,
        },
        "report": dict(graph.report),
    }
    (staging / "meta.json").write_text(
        json.dumps(meta, ensure_ascii=False, indent=1, default=_json_default), encoding="utf-8"
    )
    if directory.exists():
        shutil.rmtree(directory)
    staging.rename(directory)
    return directory


def load_graph(directory: Path, *, mmap: bool = True, overlay: bool = True) -> PedestrianGraph:
    """Load a saved graph; base arrays are memory-mapped read-only. Applies the overlay if any."""
    meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
    if meta.get("format_version") != FORMAT_VERSION:
        msg = f"{directory}: format {meta.get('format_version')}, expected {FORMAT_VERSION}"
        raise ValueError(msg)
    mode: Literal["r"] | None = "r" if mmap else None
    graph = PedestrianGraph(meta=meta)
    for key in meta["arrays"]:
        prefix, name = key.split("_", 1)
        table = {"node": graph.nodes, "segment": graph.segments, "edge": graph.edges}[prefix]
        table[name] = np.load(directory / f"{key}.npy", mmap_mode=mode, allow_pickle=False)
    graph.indptr = np.load(directory / "indptr.npy", mmap_mode=mode, allow_pickle=False)
    graph.meta["directory"] = str(directory)
    for spec in OVERLAY_ARRAYS:
        graph.edges[spec.name] = empty(spec, graph.edge_count)
    if overlay:
        from routing.graph.overlay import apply_saved_overlay  # overlay imports this module

        apply_saved_overlay(graph, directory)
    return graph


def activate(name: str, build_id: str) -> None:
    """Point ``<name>/CURRENT`` at ``build_id`` atomically."""
    root = graph_root(name)
    tmp = root / f".CURRENT.{os.getpid()}"
    tmp.write_text(build_id, encoding="utf-8")
    tmp.replace(root / "CURRENT")


def current_directory(name: str) -> Path:
    try:
        build_id = (graph_root(name) / "CURRENT").read_text(encoding="utf-8").strip()
    except FileNotFoundError as e:
        msg = f"No graph named {name!r} has been built (run manage.py build_graph ... --commit)."
        raise GraphNotBuilt(msg) from e
    return graph_root(name) / build_id


def _stamp(directory: Path) -> tuple[str, int]:
    try:
        overlay_mtime = (directory / "overlay.json").stat().st_mtime_ns
    except FileNotFoundError:
        overlay_mtime = 0
    return str(directory), overlay_mtime


_cache: dict[str, tuple[tuple[str, int], PedestrianGraph]] = {}
_lock = threading.Lock()


def get_graph(name: str) -> PedestrianGraph:
    """The active graph ``name`` with its current overlay, cached in this process."""
    directory = current_directory(name)
    stamp = _stamp(directory)
    cached = _cache.get(name)
    if cached and cached[0] == stamp:
        return cached[1]
    with _lock:
        graph = load_graph(directory)
        _cache[name] = (stamp, graph)
    return graph


def clear_cache() -> None:
    _cache.clear()


def edge_coords(graph: PedestrianGraph, edge: int) -> np.ndarray:
    """(n, 2) lon/lat of a directed edge in its direction of travel (for route responses)."""
    return graph.edge_coords(edge)


def blocked_mask(graph: PedestrianGraph, at_s: float) -> np.ndarray:
    """Directed edges impassable at epoch second ``at_s`` (obstacle width 0 still in force)."""
    until = np.asarray(graph.edges["obstacle_until_s"])
    width = np.asarray(graph.edges["obstacle_width_m"])
    return (width == 0) & (until > at_s)


def obstacle_width_at(graph: PedestrianGraph, at_s: float) -> np.ndarray:
    """Width left by obstacles in force at ``at_s`` (NaN where none): compare with ``width_m``."""
    until = np.asarray(graph.edges["obstacle_until_s"])
    width = np.asarray(graph.edges["obstacle_width_m"], dtype=np.float32)
    return np.where(until > at_s, width, np.float32(np.nan))
