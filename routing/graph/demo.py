"""Graphs of the demo area (the shared Seoul extracts with the Seoul DEM), built once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from importers.base import file_sha256
from routing.graph.build import build_graph
from routing.graph.publish import publish_graph
from routing.models import GraphBuild

DEMO_GRAPHS = {
    "seoul-yeouido": "osm/seoul_yeouido.osm.pbf",
    "seoul-mapo-gongdeok": "osm/seoul_mapo_gongdeok.osm",
}
DEMO_DEM = "dem/seoul_dem_90m_epsg5186.tif"


def build_demo_graphs(say: Callable[[str], None], *, force: bool = False) -> list[GraphBuild]:
    """Build and activate each demo graph whose source file is present and not yet built."""
    base = Path(settings.DATA_DIR) if str(settings.DATA_DIR) else None
    built = []
    for name, relative in DEMO_GRAPHS.items():
        source = base / relative if base else None
        if source is None or not source.is_file():
            say(f"{name}: skipped, {relative} is not in the data directory")
            continue
        dem = base / DEMO_DEM if base and (base / DEMO_DEM).is_file() else None
        current = GraphBuild.objects.filter(name=name, is_active=True).first()
        if (
            current
            and not force
            and current.source_sha256 == file_sha256(source)
            and Path(current.directory).is_dir()
        ):
            say(f"{name}: already built ({current.build_id})")
            continue
        build = publish_graph(build_graph(source, dem=dem, name=name), name=name)
        say(f"{name}: {build.segment_count} segments, {build.node_count} nodes ({build.build_id})")
        built.append(build)
    return built
