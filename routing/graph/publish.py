"""Publish a built graph: arrays on disk, PostGIS tables, overlay, QA report, then activate.

The arrays are written first (under a new build id, so the running engine keeps the old ones),
then the database rows in one transaction, then ``CURRENT`` is switched: a failure at any step
leaves the previous graph active.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from routing.graph.graph import PedestrianGraph
from routing.graph.overlay import refresh_overlay
from routing.graph.postgis import store_graph
from routing.graph.quality import quality_report
from routing.graph.store import activate, graph_root, load_graph, save_graph
from routing.models import GraphBuild


def publish_graph(graph: PedestrianGraph, *, name: str, keep_builds: int = 2) -> GraphBuild:
    """Save, store, overlay and activate ``graph`` as the current graph of area ``name``."""
    graph.meta["name"] = name
    directory = graph_root(name) / graph.meta["build_id"]
    save_graph(graph, directory)
    build = store_graph(graph, name=name, directory=directory)
    refresh_overlay(build)
    loaded = load_graph(directory)
    report = quality_report(loaded, build_pk=build.pk)
    (directory / "quality.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    build.quality = report
    build.save(update_fields=["quality"])
    activate(name, build.build_id)
    _prune(name, keep=keep_builds)
    return build


def _prune(name: str, *, keep: int) -> None:
    """Remove old build directories of ``name`` beyond the newest ``keep``."""
    root = graph_root(name)
    builds = sorted(
        (p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.name,
        reverse=True,
    )
    current = (root / "CURRENT").read_text(encoding="utf-8").strip()
    for old in builds[keep:]:
        if old.name != current:
            shutil.rmtree(old, ignore_errors=True)


def area_name(path: Path) -> str:
    """A default area name from a file name (``seoul_yeouido.osm.pbf`` -> ``seoul-yeouido``)."""
    stem = path.name.split(".")[0] if path.is_file() else path.name
    return stem.replace("_", "-").lower()[:60]
