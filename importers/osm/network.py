"""Read the walkable network from an OSM file (PBF or XML) with pyosmium.

The result is a :class:`RawNetwork`: walkable ways as flat node-reference arrays with their
coordinates and tags, plus the tags of the nodes that matter for routing (kerbs, crossings,
elevators, barriers). Clipped extracts are repaired here: a way whose nodes are partly missing
is cut into the runs of nodes that are present, and every repair is counted in ``report``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import Any

import numpy as np
import osmium

from importers.errors import ImporterError
from importers.osm.tags import foot_exclusion, kerb_kind, pedestrian_way_kind

# Node keys the graph reads; other node tags are dropped while reading.
NODE_KEYS = (
    "barrier",
    "kerb",
    "curb",
    "kerb:height",
    "curb:height",
    "sloped_curb",
    "sloped_kerb",
    "highway",
    "crossing",
    "crossing:signals",
    "crossing:markings",
    "crossing_ref",
    "wheelchair",
    "tactile_paving",
    "level",
    "opening_hours",
)


@dataclass
class RawNetwork:
    """Walkable ways before graph construction, in flat arrays (one row per way node)."""

    source: str
    way_ids: list[int] = field(default_factory=list)
    way_tags: list[dict[str, str]] = field(default_factory=list)
    way_timestamp_s: list[int] = field(default_factory=list)
    way_offsets: np.ndarray = field(default_factory=lambda: np.zeros(1, dtype=np.int64))
    refs: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    lon: np.ndarray = field(default_factory=lambda: np.zeros(0))
    lat: np.ndarray = field(default_factory=lambda: np.zeros(0))
    node_tags: dict[int, dict[str, str]] = field(default_factory=dict)
    report: Counter[str] = field(default_factory=Counter)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def way_count(self) -> int:
        return len(self.way_ids)


def _is_network_node(tags: dict[str, str]) -> bool:
    highway = tags.get("highway")
    return (
        kerb_kind(tags) is not None
        or highway in ("crossing", "elevator", "traffic_signals")
        or "crossing" in tags
        or "barrier" in tags
        or "wheelchair" in tags
    )


class _Collector:
    """Accumulates ways and node tags while pyosmium streams the file."""

    def __init__(self) -> None:
        self.net = RawNetwork(source="osm")
        self.refs: list[int] = []
        self.lons: list[float] = []
        self.lats: list[float] = []
        self.offsets = [0]

    def node(self, obj: Any) -> None:
        tags = {k: v for k, v in obj.tags if k in NODE_KEYS}
        if tags and _is_network_node(tags):
            self.net.node_tags[obj.id] = tags

    def way(self, obj: Any) -> None:
        if "highway" not in obj.tags:  # buildings, landuse...: skip before copying tags
            return
        tags = dict(obj.tags)
        report = self.net.report
        kind = pedestrian_way_kind(tags)
        if kind is None:
            return
        reason = foot_exclusion(tags)
        if reason:
            report[f"ways_excluded_{reason}"] += 1
            return
        previous = None
        count = 0
        for node in obj.nodes:
            if node.ref == previous:  # repeated node: no segment between a node and itself
                continue
            previous = node.ref
            valid = node.location.valid()
            self.refs.append(node.ref)
            self.lons.append(node.location.lon if valid else np.nan)
            self.lats.append(node.location.lat if valid else np.nan)
            count += 1
        if count < 2:
            if count:
                del self.refs[-count:], self.lons[-count:], self.lats[-count:]
            report["ways_dropped_single_node"] += 1
            return
        self.offsets.append(len(self.refs))
        self.net.way_ids.append(obj.id)
        self.net.way_tags.append(tags)
        timestamp = obj.timestamp
        valid_time = timestamp is not None and timestamp.year > 1970
        self.net.way_timestamp_s.append(
            int(timestamp.astimezone(UTC).timestamp()) if valid_time else -1
        )
        report[f"ways_{kind}"] += 1

    def finish(self) -> RawNetwork:
        net = self.net
        net.refs = np.asarray(self.refs, dtype=np.int64)
        net.lon = np.asarray(self.lons, dtype=np.float64)
        net.lat = np.asarray(self.lats, dtype=np.float64)
        net.way_offsets = np.asarray(self.offsets, dtype=np.int64)
        return net


def read_osm_network(path: Path) -> RawNetwork:
    """Walkable ways and routing-relevant node tags from an OSM PBF or XML file.

    Raises ``ImporterError`` (naming the file) when the file cannot be read.
    """
    collector = _Collector()
    try:
        processor = (
            osmium.FileProcessor(str(path))
            .with_locations()
            .with_filter(osmium.filter.EmptyTagFilter())
        )
        for obj in processor:
            if obj.is_node():
                collector.node(obj)
            elif obj.is_way():
                collector.way(obj)
    except RuntimeError as e:
        raise ImporterError(f"Cannot read OSM file {path}: {e}", fields={"file": [str(e)]}) from e
    net = collector.finish()
    net.meta["path"] = str(path)
    return repair_clipped(net)


def repair_clipped(net: RawNetwork) -> RawNetwork:
    """Cut ways at nodes missing from the extract; keep runs of two or more present nodes.

    Counts ``missing_node_refs``, ``ways_with_missing_nodes``, ``way_pieces_kept`` and
    ``ways_dropped_clipped`` (no run of two present nodes left) in ``net.report``.
    """
    present = ~np.isnan(net.lon)
    net.report["missing_node_refs"] = int((~present).sum())
    if present.all():
        return net
    way_ids, tags, stamps, offsets = [], [], [], [0]
    keep = np.zeros(len(net.refs), dtype=bool)
    for w in range(net.way_count):
        start, end = int(net.way_offsets[w]), int(net.way_offsets[w + 1])
        ok = present[start:end]
        if ok.all():
            runs = [(start, end)]
        else:
            net.report["ways_with_missing_nodes"] += 1
            runs = _present_runs(ok, start)
            net.report["way_pieces_kept"] += len(runs)
            if not runs:
                net.report["ways_dropped_clipped"] += 1
        for run_start, run_end in runs:
            keep[run_start:run_end] = True
            offsets.append(offsets[-1] + run_end - run_start)
            way_ids.append(net.way_ids[w])
            tags.append(net.way_tags[w])
            stamps.append(net.way_timestamp_s[w])
    net.refs, net.lon, net.lat = net.refs[keep], net.lon[keep], net.lat[keep]
    net.way_ids, net.way_tags, net.way_timestamp_s = way_ids, tags, stamps
    net.way_offsets = np.asarray(offsets, dtype=np.int64)
    return net


def _present_runs(ok: np.ndarray, base: int) -> list[tuple[int, int]]:
    """(start, end) index ranges of runs of at least two True values, offset by ``base``."""
    runs = []
    run_start = None
    for i, flag in enumerate([*ok.tolist(), False]):
        if flag and run_start is None:
            run_start = i
        elif not flag and run_start is not None:
            if i - run_start >= 2:
                runs.append((base + run_start, base + i))
            run_start = None
    return runs
