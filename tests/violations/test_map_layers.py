"""Violation tiles: public hexagons by the hotspot API's public rules, officials' hexagons and points."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import h3.api.basic_int as h3i
import pytest
from django.test import Client

from tests.tiles.conftest import by_id, decode
from tests.violations.conftest import CHEONAN, make_report
from tiles.tilegrid import lonlat_to_tile

pytestmark = pytest.mark.django_db
PERIOD = {"start": "2023-01-01", "end": "2023-12-31"}


def tile_path(layer: str, z: int, lonlat: tuple[float, float] = CHEONAN) -> str:
    tile = lonlat_to_tile(*lonlat, z)
    return f"/tiles/{layer}/{tile.z}/{tile.x}/{tile.y}.pbf"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_public_hexagons_are_the_hotspot_apis_public_cells(cheonan_2023) -> None:
    anon = Client()
    for z in (11, 13):
        tile = by_id(
            decode(anon.get(tile_path("violation-hexagons", z), PERIOD), "violation-hexagons")
        )
        api = anon.get("/api/violations/hotspots/hexagons/", {**PERIOD, "zoom": z}).json()
        expected = {f["properties"]["cell"]: f["properties"]["cases"] for f in api["features"]}
        assert tile, z
        for cell_int, feature in tile.items():
            props = feature["properties"]
            assert set(props) == {"cell", "cases"}  # counts only
            assert props["cell"] == h3i.int_to_str(cell_int)
            assert expected[props["cell"]] == props["cases"] >= 3  # same count, small ones hidden
            assert h3i.get_resolution(cell_int) == api["meta"]["resolution"]


def test_public_resolution_is_capped_where_officials_see_finer_cells(
    cheonan_2023, official
) -> None:
    public = decode(Client().get(tile_path("violation-hexagons", 16), PERIOD), "violation-hexagons")
    finer = signed_in(official).get(tile_path("violation-hexagons-official", 16), PERIOD)
    official_cells = decode(finer, "violation-hexagons-official")
    assert official_cells and {h3i.get_resolution(f["id"]) for f in official_cells} == {10}
    assert {h3i.get_resolution(f["id"]) for f in public} <= {9}
    assert set(official_cells[0]["properties"]) == {"cell", "cases", "reports", "bay_cases"}
    assert finer["Cache-Control"] == "private, no-cache"


@pytest.mark.parametrize("layer", ["violations", "violation-hexagons-official"])
def test_officials_layers_refuse_everyone_else(
    layer, minji, leader, official, cheonan_2023
) -> None:
    path = tile_path(layer, 14)
    assert Client().get(path).status_code == 401
    assert signed_in(minji).get(path).status_code == 403
    assert signed_in(leader).get(path).status_code == 403
    assert signed_in(official).get(path, PERIOD).status_code == 200
    assert Client().get(f"/tiles/{layer}.json").status_code == 401


def test_a_new_violation_changes_the_next_tiles(official, cheonan_2023) -> None:
    officials = signed_in(official)
    points_path = tile_path("violations", 16)
    before = officials.get(points_path, PERIOD)
    known = set(by_id(decode(before, "violations")))
    hex_path = tile_path("violation-hexagons", 13)  # H3 resolution 8
    report_cell = h3i.cell_to_parent(h3i.latlng_to_cell(CHEONAN[1], CHEONAN[0], 15), 8)
    old = by_id(decode(Client().get(hex_path, PERIOD), "violation-hexagons"))[report_cell]
    seen = datetime(2023, 6, 1, 9, tzinfo=ZoneInfo("Asia/Seoul"))
    report = make_report(occurred_at=seen)
    after = officials.get(points_path, PERIOD, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    points = by_id(decode(after, "violations"))
    assert set(points) - known == {report.pk}
    point = points[report.pk]["properties"]
    assert point["violation_type"] == "illegal_parking" and point["seen_at"] == "2023-06-01T09:00"
    assert point["status"] == "received" and point["source"] == "citizen"
    new = by_id(decode(Client().get(hex_path, PERIOD), "violation-hexagons"))[report_cell]
    assert new["properties"]["cases"] == old["properties"]["cases"] + 1
