"""Hotspots: H3 aggregation in PostgreSQL, filters, Gi* (checked against an independent esda run
on the Cheonan data), kernel density, ranking with trend, violations per bay, public limits."""

from __future__ import annotations

import random
from datetime import datetime
from zoneinfo import ZoneInfo

import esda
import geopandas as gpd
import h3
import numpy as np
import pandas as pd
import pytest
from django.db import connection
from libpysal.weights import DistanceBand

from modugil.geo import point
from tests.conftest import shared_data
from tests.violations.conftest import CHEONAN, ENFORCEMENT_2023, make_report
from violations.hotspots import aggregate, analysis, filters
from violations.models import ReportSource, ReportStatus, TimePrecision

pytestmark = pytest.mark.django_db
KST = ZoneInfo("Asia/Seoul")


def test_sql_h3_parent_matches_the_h3_library(db) -> None:
    rng = random.Random(7)
    with connection.cursor() as cursor:
        for _ in range(300):
            lat, lon = rng.uniform(33, 38.7), rng.uniform(124.5, 131.9)
            cell = h3.api.basic_int.latlng_to_cell(lat, lon, 15)
            res = rng.randint(0, 15)
            cursor.execute("SELECT violations_h3_parent(%s, %s)", [cell, res])
            assert cursor.fetchone()[0] == h3.api.basic_int.cell_to_parent(cell, res)


def at(day: str, hour: int = 12, **kw) -> dict:
    y, m, d = (int(p) for p in day.split("-"))
    return {"occurred_at": datetime(y, m, d, hour, tzinfo=KST), **kw}


def period(start: str, end: str, **params) -> filters.HotspotFilter:
    return filters.from_params({"start": start, "end": end, **params})


def total(hex_filter: filters.HotspotFilter, res: int = 9) -> int:
    return int(aggregate.hex_table(hex_filter, res)["cases"].sum())


def test_filters_by_period_time_weekday_type_status_source_district(db) -> None:
    make_report(**at("2025-03-03", 8), district="두정동")  # Monday 08h
    make_report(**at("2025-03-03", 23), violation_type="obstruction")  # Monday 23h
    make_report(**at("2025-03-08", 1), district="두정동")  # Saturday 01h
    make_report(**at("2025-03-09", 12), status=ReportStatus.DISMISSED)
    make_report(
        **at("2025-01-01", 0),
        occurred_until=datetime(2025, 12, 31, 23, 59, tzinfo=KST),
        time_precision=TimePrecision.PERIOD,
        source=ReportSource.ENFORCEMENT,
        case_count=40,
    )
    march = ("2025-03-01", "2025-03-31")
    assert total(period(*march)) == 43  # dismissed excluded; the yearly record overlaps March
    assert total(period(*march, hours="22-2")) == 2  # wraps midnight; period-only rows lack hours
    assert total(period(*march, weekdays="mon")) == 2
    assert total(period(*march, weekdays="sat,sun")) == 1
    assert total(period(*march, type="obstruction")) == 1
    assert total(period(*march, status="dismissed")) == 1
    assert total(period(*march, source="enforcement")) == 40
    assert total(period(*march, district="두정동")) == 2
    assert total(period("2025-03-04", "2025-03-07")) == 40
    far = "126.0,35.0,126.1,35.1"
    assert total(period(*march, bbox=far)) == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2025-13-01"}, "start"),
        ({"hours": "25"}, "hours"),
        ({"weekdays": "funday"}, "weekdays"),
        ({"type": "speeding"}, "type"),
        ({"start": "2025-05-01", "end": "2025-04-01"}, "start"),
        ({"bbox": "1,2,3"}, "bbox"),
    ],
)
def test_bad_filters_are_400s_naming_the_parameter(official, client_for, params, field) -> None:
    r = client_for(official).get("/api/violations/hotspots/hexagons/", params)
    assert r.status_code == 400 and field in r.json()["errors"]


def test_gistar_on_cheonan_matches_an_independent_esda_computation(cheonan_2023) -> None:
    res = 8
    ours = aggregate.hex_layer(period("2023-01-01", "2023-12-31"), res, with_gistar=True)
    z_ours = {f["properties"]["cell"]: f["properties"]["z"] for f in ours["features"]}
    # Independent path: the CSV through pandas, h3's string API, distance-band weights.
    frame = pd.read_csv(shared_data(ENFORCEMENT_2023), encoding="utf-8-sig").iloc[1:]
    # Cells as parents of resolution-15 cells (nested across zooms), via h3's string API.
    cells = [
        h3.cell_to_parent(h3.latlng_to_cell(la, lo, 15), res)
        for la, lo in zip(frame["위도"], frame["경도"], strict=True)
    ]
    counts = frame["단속건수"].groupby(cells).sum()
    region = sorted({n for c in counts.index for n in h3.grid_disk(c, 1)})
    y = counts.reindex(region, fill_value=0).astype(float)
    centres = [h3.cell_to_latlng(c) for c in region]
    points = gpd.GeoSeries(
        gpd.points_from_xy([c[1] for c in centres], [c[0] for c in centres]), crs=4326
    )
    metric = points.to_crs(5179)
    edge_m = h3.average_hexagon_edge_length(res, unit="m")
    w = DistanceBand(
        np.column_stack([metric.x, metric.y]),
        threshold=2.3 * edge_m,
        binary=True,
        silence_warnings=True,
    )
    g = esda.G_Local(y.to_numpy(), w, transform="B", star=True, permutations=0)
    assert set(z_ours) == set(region) and len(region) > 400
    ours_z = np.array([z_ours[c] for c in region])
    np.testing.assert_allclose(ours_z, g.Zs, atol=1e-3)
    hot = [c for c, z in zip(region, g.Zs, strict=True) if z > 2.576]
    assert hot and all(
        f["properties"]["hotspot"] == "hot_99"
        for f in ours["features"]
        if f["properties"]["cell"] in hot
    )


def test_ranking_compares_with_the_previous_period(db) -> None:
    busy, quiet = (127.1395, 36.8335), (127.1600, 36.8100)
    for day in ("2025-02-10", "2025-02-11", "2025-02-12"):
        make_report(**at(day), geom=point(*busy), district="두정동", place_text="두정역")
    make_report(**at("2025-01-10"), geom=point(*busy))
    for day in ("2025-01-11", "2025-01-12", "2025-01-13", "2025-01-14"):
        make_report(**at(day), geom=point(*quiet))
    make_report(**at("2025-02-15"), geom=point(*quiet))
    rows = aggregate.ranking(period("2025-02-01", "2025-02-28"), 9, 5)
    assert [(r["cases"], r["previous_cases"], r["trend"]) for r in rows] == [
        (3, 1, "up"),
        (1, 4, "down"),
    ]
    assert (
        rows[0]["district"] == "두정동"
        and rows[0]["place"] == "두정역"
        and rows[0]["change_pct"] == 200.0
    )
    assert analysis.trend(5, 0) == "new" and analysis.trend(10, 10) == "steady"


def test_kernel_density_peaks_at_the_cluster(db) -> None:
    for i in range(20):
        make_report(**at("2025-02-10"), geom=point(CHEONAN[0] + i * 1e-5, CHEONAN[1]))
    make_report(**at("2025-02-10"), geom=point(127.2, 36.8))
    layer = aggregate.density_layer(period("2025-02-01", "2025-02-28"), 200.0, 9)
    top = layer["features"][0]
    lon, lat = top["geometry"]["coordinates"]
    assert abs(lon - CHEONAN[0]) < 0.003 and abs(lat - CHEONAN[1]) < 0.003
    # 20 cases under a Gaussian kernel of sigma 200 m peak at 20 / (2 pi 0.2²) cases per km².
    expected = 20 / (2 * np.pi * 0.2**2)
    assert layer["meta"]["unit"] == "cases per km²"
    assert abs(top["properties"]["density"] - expected) / expected < 0.1


def test_violations_per_bay_where_the_inventory_is_known(bay) -> None:
    make_report(**at("2025-02-10"), spot=bay, case_count=6)
    rows = aggregate.bay_rates(period("2025-02-01", "2025-02-28"), 5)
    assert rows == [
        {
            "spot": bay.pk,
            "name": "두정 공영주차장",
            "address": "",
            "bays": 2,
            "cases": 6,
            "reports": 1,
            "per_bay": 3.0,
        }
    ]
    layer = aggregate.hex_layer(period("2025-02-01", "2025-02-28"), 10)
    props = layer["features"][0]["properties"]
    assert (props["bays"], props["bay_cases"], props["per_bay"]) == (2, 6, 3.0)


def test_public_hexagons_are_coarse_thresholded_and_counts_only(anon, official, client_for) -> None:
    for _ in range(3):
        make_report(**at("2025-02-10"), geom=point(*CHEONAN))
    make_report(**at("2025-02-10"), geom=point(127.2, 36.8))  # a lone report stays hidden
    params = {"start": "2025-02-01", "end": "2025-02-28", "resolution": "12"}
    public = anon.get("/api/violations/hotspots/hexagons/", params).json()
    assert public["meta"]["resolution"] == 9 and public["meta"]["min_cases"] == 3
    assert [set(f["properties"]) for f in public["features"]] == [{"cell", "cases"}]
    full = client_for(official).get("/api/violations/hotspots/hexagons/", params).json()
    assert full["meta"]["resolution"] == 12 and len(full["features"]) == 2


def test_resolution_follows_zoom() -> None:
    resolutions = [analysis.resolution_for_zoom(z) for z in range(6, 20)]
    assert resolutions == sorted(resolutions) and resolutions[0] >= 4 and resolutions[-1] == 12


def test_officials_endpoints_answer(official, client_for, cheonan_2023) -> None:
    client = client_for(official)
    params = {"start": "2023-01-01", "end": "2023-12-31", "zoom": "12"}
    for path in ("gistar/", "density/", "ranking/", "hexagons/"):
        r = client.get(f"/api/violations/hotspots/{path}", params)
        assert r.status_code == 200, path
    ranking = client.get("/api/violations/hotspots/ranking/", params).json()
    assert ranking["results"][0]["cases"] >= ranking["results"][1]["cases"]
    assert client.get("/api/violations/districts/").json()[0]["cases"] > 0
