"""The graphs API: active graphs and their data-quality report, whole or per area."""

from __future__ import annotations

from pathlib import Path

import pytest
from rest_framework.test import APIClient

from routing.graph.build import build_graph
from routing.graph.publish import publish_graph
from tests.conftest import shared_data
from tests.routing.conftest import MAPO

pytestmark = pytest.mark.django_db


def test_graph_list_and_quality(graph_dir: Path, anon: APIClient) -> None:
    publish_graph(build_graph(shared_data(MAPO)), name="mapo")
    listing = anon.get("/api/routing/graphs/")
    assert listing.status_code == 200
    (graph,) = listing.json()
    assert graph["name"] == "mapo" and graph["segment_count"] > 1000
    assert graph["unknown_share"]["width"] == 1.0
    assert graph["bbox"]["type"] == "Polygon"

    whole = anon.get("/api/routing/graphs/mapo/quality/")
    assert whole.status_code == 200
    assert whole.json()["crossings"]["without_kerb_info"] == 9
    part = anon.get("/api/routing/graphs/mapo/quality/", {"bbox": "126.94,37.54,126.958,37.56"})
    assert part.status_code == 200
    assert 0 < part.json()["segments"] < whole.json()["segments"]


def test_quality_errors_are_4xx(graph_dir: Path, anon: APIClient) -> None:
    missing = anon.get("/api/routing/graphs/nowhere/quality/")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    publish_graph(build_graph(shared_data(MAPO)), name="mapo")
    bad = anon.get("/api/routing/graphs/mapo/quality/", {"bbox": "1,2,3"})
    assert bad.status_code == 400 and "bbox" in bad.json()["errors"]
