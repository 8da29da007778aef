"""``manage.py build_graph``: dry run by default, --commit publishes, bad input is a clear error."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from routing.graph.store import GraphNotBuilt, current_directory, get_graph
from routing.models import GraphBuild, GraphEdge
from tests.conftest import shared_data
from tests.routing.conftest import DEM, MAPO

pytestmark = pytest.mark.django_db


def test_dry_run_summarises_and_writes_nothing(graph_dir: Path) -> None:
    out = StringIO()
    call_command("build_graph", str(shared_data(MAPO)), "--dem", str(shared_data(DEM)), stdout=out)
    text = out.getvalue()
    assert "dry run" in text
    assert "Edges by type" in text and "sidewalk" in text
    assert "kerb at crossings" in text
    assert "90 m cells" in text  # the low-confidence DEM is said out loud
    assert not GraphBuild.objects.exists()
    assert not graph_dir.exists()
    with pytest.raises(GraphNotBuilt):
        current_directory("seoul-mapo-gongdeok")


def test_commit_publishes_arrays_tables_and_report(graph_dir: Path) -> None:
    out = StringIO()
    call_command(
        "build_graph",
        str(shared_data(MAPO)),
        "--dem",
        str(shared_data(DEM)),
        "--name",
        "mapo",
        "--commit",
        "--json",
        stdout=out,
    )
    build = GraphBuild.objects.get(name="mapo", is_active=True)
    assert GraphEdge.objects.filter(graph=build).count() == build.segment_count
    assert build.dem_sha256 and build.source_sha256
    graph = get_graph("mapo")
    assert graph.meta["build_id"] == build.build_id
    assert graph.meta["source"]["sha256"] == build.source_sha256
    assert (current_directory("mapo") / "quality.json").exists()
    report = json.loads(out.getvalue()[out.getvalue().index("{") :])
    assert report["crossings"]["crossing_ways"] == build.quality["crossings"]["crossing_ways"]

    call_command(
        "build_graph", str(shared_data(MAPO)), "--name", "mapo", "--commit", stdout=StringIO()
    )
    assert GraphBuild.objects.filter(name="mapo").count() == 1  # the new build replaced the old
    assert GraphBuild.objects.get(name="mapo").dem_sha256 == ""


def test_missing_file_is_a_command_error(graph_dir: Path) -> None:
    with pytest.raises(CommandError, match="does not exist"):
        call_command("build_graph", "/nonexistent/area.osm.pbf")


def test_unreadable_osm_file_is_a_command_error(graph_dir: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.osm.pbf"
    broken.write_bytes(b"not a pbf at all")
    with pytest.raises(CommandError, match="Cannot read OSM file"):
        call_command("build_graph", str(broken))
    assert not GraphBuild.objects.exists()


def test_quality_and_export_commands(graph_dir: Path, tmp_path: Path) -> None:
    call_command(
        "build_graph", str(shared_data(MAPO)), "--name", "mapo", "--commit", stdout=StringIO()
    )
    out = StringIO()
    call_command("graph_quality", "mapo", "--bbox", "126.94,37.54,126.958,37.56", stdout=out)
    report = json.loads(out.getvalue())
    assert report["graph"] == "mapo" and report["area_bbox"] == [126.94, 37.54, 126.958, 37.56]
    assert 0 < report["segments"] < GraphBuild.objects.get(name="mapo").segment_count
    out = StringIO()
    call_command("export_opensidewalks", "mapo", str(tmp_path / "osw"), stdout=out)
    assert "valid OpenSidewalks 0.2" in out.getvalue()
    assert (tmp_path / "osw" / "mapo.edges.OSW.geojson").exists()
    with pytest.raises(CommandError, match="No graph named"):
        call_command("graph_quality", "nowhere")
    with pytest.raises(CommandError, match="Bounding box"):
        call_command("graph_quality", "mapo", "--bbox", "127,38,126,37")
