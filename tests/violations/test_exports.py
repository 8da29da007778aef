"""Exports for officials: CSV, GeoPackage (hexagons + ranking) and a self-contained HTML report."""

from __future__ import annotations

import csv
import io
import re

import pyogrio
import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db
PARAMS = {"start": "2023-01-01", "end": "2023-12-31", "resolution": "8"}


def test_csv_has_counts_and_gistar(official, client_for, cheonan_2023) -> None:
    r = client_for(official).get("/api/violations/hotspots/export.csv", PARAMS)
    assert r.status_code == 200 and r["Content-Disposition"].endswith('hotspots.csv"')
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert {"cell", "lon", "lat", "cases", "bays", "per_bay", "z", "p", "hotspot"} <= set(rows[0])
    assert sum(int(row["cases"]) for row in rows) == 173339
    assert any(row["hotspot"] == "hot_99" for row in rows)


def test_geopackage_has_hexagons_and_ranking(official, client_for, cheonan_2023, tmp_path) -> None:
    r = client_for(official).get("/api/violations/hotspots/export.gpkg", PARAMS)
    path = tmp_path / "h.gpkg"
    path.write_bytes(r.content)
    layers = {name for name, _ in pyogrio.list_layers(path)}
    assert layers == {"hotspots", "ranking"}
    hexes = pyogrio.read_dataframe(path, layer="hotspots")
    assert hexes.crs.to_epsg() == 4326 and hexes.geometry.geom_type.unique().tolist() == ["Polygon"]
    assert int(hexes["cases"].sum()) == 173339
    ranking = pyogrio.read_dataframe(path, layer="ranking")
    assert ranking["rank"].tolist()[:3] == [1, 2, 3]


def test_html_report_is_self_contained(official, client_for, cheonan_2023, anon) -> None:
    assert anon.get("/api/violations/hotspots/report.html", PARAMS).status_code in (401, 403)
    r = client_for(official).get("/api/violations/hotspots/report.html", PARAMS)
    page = r.content.decode()
    assert r.status_code == 200 and "<html" in page and "L.map(" in page
    external = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(https?://[^"]+)"', page)
    assert external == []
    assert "OpenStreetMap" in page and "상위 핫스팟" in page


def test_report_command_writes_each_format(cheonan_2023, tmp_path) -> None:
    for name in ("r.html", "r.csv", "r.gpkg"):
        out = io.StringIO()
        call_command("violations_report", str(tmp_path / name), "--start", "2023-01-01", stdout=out)
        assert (tmp_path / name).stat().st_size > 1000
