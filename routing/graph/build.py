"""The graph build recipe: read a source, run the stages in order, stamp the result.

Reads like the pipeline it is; each stage is in :mod:`routing.graph.stages` or
:mod:`routing.graph.dem` and records itself in ``graph.meta["stages"]``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from importers.base import file_sha256
from importers.osm.network import RawNetwork, read_osm_network
from routing.graph.dem import add_dem_grades
from routing.graph.graph import PedestrianGraph
from routing.graph.stages import (
    add_node_attributes,
    add_way_attributes,
    attach_kerbs,
    explode_elevators,
    label_components,
    make_directed,
    segments_from_raw,
)

OSM_SUFFIXES = (".pbf", ".osm", ".xml", ".bz2", ".gz", ".o5m", ".opl")
Progress = Callable[[str], None]


def source_format(path: Path) -> str:
    """``osw`` for OpenSidewalks GeoJSON (a directory or ``*.geojson``), else ``osm``."""
    if path.is_dir() or path.suffix.lower() in (".geojson", ".json"):
        return "osw"
    if path.suffix.lower() in OSM_SUFFIXES:
        return "osm"
    msg = f"{path}: unknown source format (expected an OSM file or OpenSidewalks GeoJSON)"
    raise ValueError(msg)


def read_network(path: Path, fmt: str = "auto") -> RawNetwork:
    """Read the walkable network from an OSM file or OpenSidewalks GeoJSON."""
    fmt = source_format(path) if fmt == "auto" else fmt
    if fmt == "osw":
        from importers.opensidewalks.reader import read_osw_network  # optional source

        return read_osw_network(path)
    return read_osm_network(path)


def _source_hash(path: Path) -> str:
    if path.is_dir():
        from importers.opensidewalks.reader import osw_files  # optional source

        return "+".join(file_sha256(p)[:16] for p in osw_files(path))
    return file_sha256(path)


def build_graph(
    source: Path,
    *,
    dem: Path | None = None,
    fmt: str = "auto",
    name: str = "",
    progress: Progress | None = None,
) -> PedestrianGraph:
    """Build the pedestrian graph of ``source`` (OSM PBF/XML or OpenSidewalks), with an optional DEM.

    Returns the graph in memory; :func:`routing.graph.store.save_graph` writes the arrays and
    :func:`routing.graph.postgis.store_graph` the PostGIS tables.
    """
    say = progress or (lambda _stage: None)
    started = datetime.now(UTC)
    say("read")
    raw = read_network(source, fmt)
    say("segments")
    graph = segments_from_raw(raw)
    say("attributes")
    graph = add_way_attributes(graph, raw)
    graph = add_node_attributes(graph, raw)
    graph = attach_kerbs(graph, raw)
    graph = explode_elevators(graph)
    if dem is not None:
        say("elevation")
        graph = add_dem_grades(graph, dem)
    say("directed")
    graph = make_directed(graph)
    graph = label_components(graph)
    sha = _source_hash(source)
    graph.meta.update(
        {
            "name": name,
            "build_id": f"{started:%Y%m%dT%H%M%S}-{sha[:8]}",
            "built_at": started.isoformat(),
            "source": {"path": str(source), "sha256": sha, "format": raw.source, **raw.meta},
            "bbox": [
                float(graph.nodes["lon"].min()),
                float(graph.nodes["lat"].min()),
                float(graph.nodes["lon"].max()),
                float(graph.nodes["lat"].max()),
            ],
        }
    )
    return graph
