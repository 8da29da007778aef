"""Read OpenSidewalks 0.2 edges and nodes GeoJSON into a :class:`RawNetwork` graph source.

OSW fields are OSM tags with a few differences, translated here so the graph builder sees one
vocabulary: ``incline`` is a rise/run fraction (kept as ``osw:incline``: the builder stores it as
a DEM-style grade, since OSW derives it from a DEM), ``climb`` on steps means ``incline=up/down``,
and ``ext:osm:*`` fields (written by our exporter) restore OSM tags OSW has no field for.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from importers.errors import ImporterError
from importers.osm.network import RawNetwork, repair_clipped
from importers.osm.tags import foot_exclusion

EXT_OSM = "ext:osm:"
SKIPPED = {"_id", "_u_id", "_v_id", "length", "incline", "climb"}


def osw_files(path: Path) -> list[Path]:
    """The edges and nodes files of an OSW dataset (a directory or its edges file)."""
    if path.is_dir():
        edges = sorted(path.glob("*edges*.geojson"))
        nodes = sorted(path.glob("*nodes*.geojson"))
    else:
        edges = [path]
        nodes = (
            sorted(path.parent.glob(path.name.replace("edges", "nodes")))
            if "edges" in path.name
            else []
        )
    if len(edges) != 1:
        raise ImporterError(
            f"{path}: expected one OpenSidewalks *edges*.geojson file, found {len(edges)}.",
            fields={"file": ["No OpenSidewalks edges file."]},
        )
    return [edges[0], *nodes[:1]]


def _load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ImporterError(f"Cannot read {path}: {e}", fields={"file": [str(e)]}) from e
    if data.get("type") != "FeatureCollection":
        raise ImporterError(
            f"{path} is not a GeoJSON FeatureCollection.",
            fields={"file": ["Not a FeatureCollection."]},
        )
    return data


def osw_tags(properties: dict[str, Any]) -> dict[str, str]:
    """OSM-style tags from OSW edge or node properties."""
    tags = {
        k: str(v)
        for k, v in properties.items()
        if k not in SKIPPED and not k.startswith("ext:") and v is not None
    }
    tags.update(
        {k.removeprefix(EXT_OSM): str(v) for k, v in properties.items() if k.startswith(EXT_OSM)}
    )
    incline = properties.get("incline")
    if isinstance(incline, int | float):
        if properties.get("ext:incline_source") == "osm_tag":
            tags["incline"] = f"{incline * 100:g}%"
        else:
            tags["osw:incline"] = repr(float(incline))
    if properties.get("climb") in ("up", "down") and "incline" not in tags:
        tags["incline"] = properties["climb"]
    return tags


class _Ids:
    """OSW string ids -> int64 node refs: numeric ids (OSM node ids) kept, others numbered."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.next_synthetic = -(10**15)
        self.next_interior = -1

    def ref(self, value: Any) -> int:
        text = str(value)
        found = self.ids.get(text)
        if found is None:
            if text.isdigit():
                found = int(text)
            else:
                self.next_synthetic -= 1
                found = self.next_synthetic
            self.ids[text] = found
        return found

    def interior(self) -> int:
        """A ref that no other way shares (an edge's shape point)."""
        self.next_interior -= 1
        return self.next_interior


def _timestamp(data: dict[str, Any]) -> int:
    stamp = data.get("dataTimestamp")
    if not stamp:
        return -1
    try:
        return int(datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp())
    except ValueError:
        return -1


def read_osw_network(path: Path) -> RawNetwork:
    """The walkable network of an OpenSidewalks dataset (edges + nodes GeoJSON)."""
    files = osw_files(path)
    edges = _load(files[0])
    net = RawNetwork(source="opensidewalks")
    ids = _Ids()
    stamp = _timestamp(edges)
    refs: list[int] = []
    coords: list[tuple[float, float]] = []
    offsets = [0]
    for feature in edges.get("features", []):
        geometry = feature.get("geometry") or {}
        props = feature.get("properties") or {}
        points = geometry.get("coordinates") or []
        if geometry.get("type") != "LineString" or len(points) < 2 or "_u_id" not in props:
            net.report["osw_edges_rejected"] += 1
            continue
        tags = osw_tags(props)
        reason = foot_exclusion(tags)
        if reason:
            net.report[f"ways_excluded_{reason}"] += 1
            continue
        refs.append(ids.ref(props["_u_id"]))
        refs.extend(ids.interior() for _ in points[1:-1])
        refs.append(ids.ref(props["_v_id"]))
        coords.extend((float(p[0]), float(p[1])) for p in points)
        offsets.append(len(refs))
        net.way_ids.append(ids.ref(props["_id"]) if str(props.get("_id", "")).isdigit() else -1)
        net.way_tags.append(tags)
        net.way_timestamp_s.append(stamp)
        net.report["osw_edges"] += 1
    if len(files) > 1:
        for feature in _load(files[1]).get("features", []):
            props = feature.get("properties") or {}
            tags = osw_tags(props)
            if tags and "_id" in props:
                net.node_tags[ids.ref(props["_id"])] = tags
                net.report["osw_nodes_with_tags"] += 1
    net.refs = np.asarray(refs, dtype=np.int64)
    xy = np.asarray(coords, dtype=np.float64).reshape(-1, 2)
    net.lon, net.lat = xy[:, 0], xy[:, 1]
    net.way_offsets = np.asarray(offsets, dtype=np.int64)
    net.meta.update(
        {
            "path": str(path),
            "files": [str(f) for f in files],
            "dataTimestamp": edges.get("dataTimestamp"),
        }
    )
    return repair_clipped(net)
