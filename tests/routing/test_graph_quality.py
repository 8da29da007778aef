"""The data-quality report: attribute coverage, components, crossings without kerbs, staleness."""

from __future__ import annotations

import osmium
import pytest

from routing.graph.graph import PedestrianGraph
from routing.graph.quality import quality_report
from tests.conftest import shared_data
from tests.routing.conftest import MAPO


@pytest.fixture(scope="module")
def report(mapo_graph: PedestrianGraph) -> dict:
    return quality_report(mapo_graph)


def test_coverage_counts_known_and_unknown(report: dict, mapo_graph: PedestrianGraph) -> None:
    known = report["attributes_known"]
    assert report["segments"] == mapo_graph.segment_count
    for row in known.values():
        assert row["known"] + row["unknown"] >= 0
    assert known["width"]["known"] == 0 and known["width"]["share"] == 0.0
    assert known["grade"]["share"] > 0.99
    assert known["surface"]["unknown"] > known["surface"]["known"]
    assert report["by_kind"]["sidewalk"] > 300


def test_crossings_without_kerb_information_are_listed(report: dict) -> None:
    crossings = report["crossings"]
    assert crossings["crossing_ways"] == 9
    assert crossings["without_kerb_info"] == 9  # Mapo-Gongdeok maps no kerbs at all
    assert len(crossings["examples"]) == 9
    assert 126.9 < crossings["examples"][0]["lon"] < 127.0


def test_components_and_grades(report: dict) -> None:
    assert report["components"]["count"] == 7
    assert report["components"]["largest_share_of_nodes"] > 0.9
    assert report["grades"]["low_confidence_share"] == 1.0
    assert "90 m" in report["grades"]["note"]


def test_stale_osm_edits_are_counted(report: dict) -> None:
    stale = report["stale"]
    newest = max(
        w.timestamp
        for w in osmium.FileProcessor(str(shared_data(MAPO)))
        if w.is_way() and "highway" in w.tags
    )
    assert stale["osm_newest_edit"] == newest.date().isoformat()
    assert stale["osm_segments_stale"] > 0
    assert stale["osm_edit_date_unknown"] == 0


def test_report_for_one_area(mapo_graph: PedestrianGraph, report: dict) -> None:
    lon_min, lat_min, lon_max, lat_max = mapo_graph.meta["bbox"]
    half = (lon_min, lat_min, (lon_min + lon_max) / 2, lat_max)
    part = quality_report(mapo_graph, bbox=half)
    assert 0 < part["segments"] < report["segments"]
    assert part["area_bbox"] == list(half)
