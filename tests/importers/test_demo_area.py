"""The demo area loads from the real shared files through the importer framework."""

from __future__ import annotations

import http.server
import shutil
import threading
from pathlib import Path

import pytest
from django.utils import translation

from importers.base import run_import
from importers.demo import load_demo
from importers.fetch import data_file
from importers.models import ImportRun
from importers.registry import get_source
from mapping.models import AccessibilityFeature, DisabledParkingSpot, Entrance, Place
from tests.conftest import shared_data

pytestmark = pytest.mark.django_db


def test_demo_loads_real_places_features_and_parking_then_changes_nothing() -> None:
    shared_data("osm/seoul_yeouido.osm.pbf")
    reports = load_demo(lambda line: None)
    assert len(reports) == 5
    stores = Place.objects.filter(source_dataset="seocho_stores")
    assert stores.count() == 462  # README: 462 stores, all with coordinates
    assert Entrance.objects.filter(place__in=stores).count() == 462
    cheonan = DisabledParkingSpot.objects.filter(source_dataset="cheonan_parking")
    assert cheonan.count() == 55
    assert (
        sum(cheonan.values_list("disabled_spaces", flat=True)) == 170
    )  # README: 170 장애인전용 spaces
    seocho_parking = DisabledParkingSpot.objects.filter(source_dataset="seocho_facilities_geocoded")
    assert seocho_parking.count() == 123  # README: 장애인 주차장 123 in the geocoded file
    osm_steps = AccessibilityFeature.objects.filter(source_dataset="osm", feature_type="steps")
    assert osm_steps.count() == 25  # Yeouido 20 + Mapo-Gongdeok 5 highway=steps ways (README)
    assert (
        AccessibilityFeature.objects.filter(source_dataset="osm", feature_type="crossing").count()
        >= 100
    )
    wheelchair_tagged = Place.objects.filter(source_dataset="osm").exclude(wheelchair_tag="")
    assert wheelchair_tagged.exists()
    assert all(
        p.osm_version and p.osm_tags for p in Place.objects.filter(source_dataset="osm")[:50]
    )
    before = (
        Place.objects.count()
        + AccessibilityFeature.objects.count()
        + DisabledParkingSpot.objects.count()
    )
    # a forced second import finds every row unchanged
    again = load_demo(lambda line: None, force=True)
    assert all(r.counts["created"] == 0 and r.counts["updated"] == 0 for r in again)
    after = (
        Place.objects.count()
        + AccessibilityFeature.objects.count()
        + DisabledParkingSpot.objects.count()
    )
    assert before == after


def test_a_dry_run_reports_but_writes_nothing() -> None:
    path = shared_data("kr-public/cheonan_public_parking_disabled_spaces_20250716_cp949.csv")
    report = run_import(get_source("cheonan_parking"), path)
    assert report.counts["created"] == 55 and not report.committed
    assert DisabledParkingSpot.objects.count() == 0
    assert ImportRun.objects.get().committed is False


def test_wrong_encoding_or_missing_columns_fail_the_batch_and_write_nothing(tmp_path: Path) -> None:
    from importers.errors import ImporterError

    renamed = tmp_path / "renamed.csv"
    renamed.write_text("구분,이름,주소\n유료,A,B\n", encoding="utf-8")
    with pytest.raises(ImporterError) as info:
        run_import(get_source("cheonan_parking"), renamed, commit=True)
    assert "주차장명" in info.value.fields
    garbage = tmp_path / "garbage.csv"
    garbage.write_bytes(bytes(range(128, 256)) * 50)
    with pytest.raises(ImporterError):
        run_import(get_source("cheonan_parking"), garbage, commit=True)
    assert DisabledParkingSpot.objects.count() == 0
    assert ImportRun.objects.filter(status="failed").count() == 2


def test_bad_rows_are_reported_per_row_and_strict_mode_writes_nothing(tmp_path: Path) -> None:
    header = (
        "구분,주차장명,주소,총면수,장애인전용,임산부용,경차전용,전기차충전,사용제한,위도,경도\n"
    )
    rows = [
        "무료,좋은 주차장,천안시 1,10,2,0,0,0,0,36.81,127.11",
        "무료,뒤바뀐 좌표,천안시 2,10,2,0,0,0,0,127.11,36.81",
        "무료,영점,천안시 3,10,2,0,0,0,0,0,0",
        "무료,많은 장애인석,천안시 4,10,20,0,0,0,0,36.81,127.11",
        "무료,좋은 주차장,천안시 1,10,2,0,0,0,0,36.81,127.11",
        "무료,글자,천안시 5,열,2,0,0,0,0,36.81,127.11",
    ]
    path = tmp_path / "cheonan.csv"
    path.write_bytes((header + "\n".join(rows) + "\n").encode("cp949"))
    strict = run_import(get_source("cheonan_parking"), path, commit=True, strict=True)
    assert not strict.committed and DisabledParkingSpot.objects.count() == 0
    with translation.override("en"):
        report = run_import(get_source("cheonan_parking"), path, commit=True)
    by_row = {o.row: o for o in report.outcomes}
    assert by_row[2].action == "created"
    assert "swapped" in str(by_row[3].errors["geom"])
    assert "0,0" in str(by_row[4].errors["geom"])
    assert by_row[6].action == "rejected" and "Duplicate of row 2" in str(by_row[6].errors)
    assert "총면수" in by_row[7].errors
    assert by_row[5].action in ("created", "rejected")
    assert DisabledParkingSpot.objects.filter(lot_name="좋은 주차장").count() == 1


def test_demo_osm_extract_downloads_from_a_configured_url(tmp_path: Path, settings) -> None:
    source = shared_data("osm/seoul_mapo_gongdeok.osm")
    served = tmp_path / "www"
    served.mkdir()
    shutil.copy(source, served / "extract.osm")
    handler = lambda *a, **kw: http.server.SimpleHTTPRequestHandler(*a, directory=str(served), **kw)  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        settings.DATA_DIR = tmp_path / "empty"
        settings.DOWNLOAD_DIR = tmp_path / "downloads"
        url = f"http://127.0.0.1:{server.server_port}/extract.osm"
        path = data_file("osm/seoul_mapo_gongdeok.osm", url=url)
        assert path.read_bytes() == source.read_bytes()
        assert path.parent == tmp_path / "downloads"
        report = run_import(get_source("osm"), path, commit=True)
        assert report.counts["created"] > 50
        with pytest.raises(Exception, match="Download"):
            data_file("osm/x.osm", url=f"http://127.0.0.1:{server.server_port}/missing.osm")
        assert list((tmp_path / "downloads").glob("*.part")) == []
    finally:
        server.shutdown()
