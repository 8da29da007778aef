"""Exports give the data back: GeoJSON, CSV and GeoPackage re-import to the same rows, A11yJSON
validates against the published types and is a fixed point, OSM rows carry the ODbL credit."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.gis.geos import GEOSGeometry

from importers.base import run_import
from importers.exports import Selection, export_to_file
from importers.exports.a11yjson import a11yjson_document, a11yjson_errors
from importers.exports.attribution import OSM
from importers.exports.native import READ_ONLY, properties
from importers.exports.selection import LAYERS
from importers.registry import get_source
from mapping.models import AccessibilityFeature, DisabledParkingSpot, Entrance, Place
from tests.conftest import make_feature, make_place, shared_data
from tests.importers.test_community_sources import DISABLED_PARKING_OSM

pytestmark = pytest.mark.django_db
ABROAD = "round trip of DC reference data"


@pytest.fixture
def world(tmp_path: Path, minji: Any) -> None:
    """Rows of every layer and origin: public data, OSM, foreign reference data, the crowd."""
    osm = tmp_path / "parking.osm"
    osm.write_text(DISABLED_PARKING_OSM, encoding="utf-8")
    run_import(get_source("osm"), osm, commit=True)
    run_import(
        get_source("cheonan_parking"),
        shared_data("kr-public/cheonan_public_parking_disabled_spaces_20250716_cp949.csv"),
        commit=True,
    )
    # slices of the real files keep the round trips quick
    streets = json.loads(
        shared_data("external/projectsidewalk_dc_access_score_streets.geojson").read_text()
    )
    streets["features"] = streets["features"][:12]
    (tmp_path / "streets.geojson").write_text(json.dumps(streets))
    run_import(get_source("projectsidewalk_streets"), tmp_path / "streets.geojson", commit=True)
    stores = (
        shared_data("kr-public/seoul_seocho_accessible_stores_cp949.csv")
        .read_bytes()
        .decode("cp949")
    )
    (tmp_path / "stores.csv").write_text("\n".join(stores.splitlines()[:31]), encoding="utf-8")
    run_import(get_source("seocho_stores"), tmp_path / "stores.csv", commit=True)
    make_place(
        name="민지가 찾은 카페",
        observer=minji,
        toilet_door_width_cm=85,
        entrances=[
            {
                "name": "옆문",
                "is_main": False,
                "has_steps": True,
                "step_count": 2,
                "step_height_cm": 9.5,
                "door_width_cm": 80,
            }
        ],
    )
    make_feature(observer=minji, kerb="raised", kerb_height_cm=14.5, note="횡단보도 앞")


def _snapshot() -> dict[tuple[str, str, str], dict[str, Any]]:
    """Every live row's data as a re-import must give it back (ids and bookkeeping aside)."""
    rows = {}
    for name, layer in LAYERS.items():
        for obj in layer.model.objects.all():  # type: ignore[attr-defined]
            props = properties(layer, obj)
            for key in (*READ_ONLY, "attribution"):
                props.pop(key, None)
            for entrance in props.get("entrances", []):
                entrance.pop("geom", None)
            props["geom"] = obj.geom
            rows[(name, props["source_dataset"], props["source_ref"])] = props
    return rows


def _same(before: dict[Any, dict[str, Any]], after: dict[Any, dict[str, Any]]) -> None:
    assert before.keys() == after.keys()
    for key, props in before.items():
        other = dict(after[key])
        assert props["geom"].equals_exact(other.pop("geom"), tolerance=1e-9), key
        assert {k: v for k, v in props.items() if k != "geom"} == other, key


def _wipe() -> None:
    for layer in LAYERS.values():
        layer.model.all_objects.all().delete()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("fmt", "source"), [("geojson", "modugil_geojson"), ("gpkg", "modugil_gpkg")]
)
def test_an_export_reimports_to_the_same_data(
    world: None, tmp_path: Path, fmt: str, source: str
) -> None:
    before = _snapshot()
    path = tmp_path / f"export.{fmt}"
    export_to_file(fmt, Selection(), path)
    into_origin = run_import(get_source(source), path, outside_service_area=ABROAD)
    assert into_origin.counts["created"] == into_origin.counts["updated"] == 0  # nothing new here
    _wipe()
    report = run_import(get_source(source), path, commit=True, outside_service_area=ABROAD)
    assert report.counts["rejected"] == 0 and report.counts["created"] == len(before)
    _same(before, _snapshot())
    again = run_import(get_source(source), path, commit=True, outside_service_area=ABROAD)
    assert again.counts["unchanged"] == len(before)


def test_a_csv_export_per_layer_reimports_to_the_same_data(world: None, tmp_path: Path) -> None:
    before = _snapshot()
    paths = []
    for layer in LAYERS:
        paths.append(tmp_path / f"{layer}.csv")
        export_to_file("csv", Selection(layers=[layer]), paths[-1])
    _wipe()
    for path in paths:
        report = run_import(
            get_source("modugil_csv"), path, commit=True, outside_service_area=ABROAD
        )
        assert report.counts["rejected"] == 0
    _same(before, _snapshot())
    places = list(csv.DictReader(io.StringIO(paths[0].read_text(encoding="utf-8-sig"))))
    osm_place = next(r for r in places if r["osm_id"] == "1")
    assert osm_place["attribution"] == OSM and float(osm_place["lon"]) == 126.93


def test_geojson_carries_the_odbl_credit_for_osm_rows(world: None, tmp_path: Path) -> None:
    path = tmp_path / "export.geojson"
    export_to_file("geojson", Selection(layers=["parking"]), path)
    document = json.loads(path.read_text(encoding="utf-8"))
    credits = {c["attribution"]: c["license"] for c in document["attribution"]}
    assert credits[OSM] == "https://opendatacommons.org/licenses/odbl/1-0/"
    osm_rows = [f for f in document["features"] if f["properties"]["osm_id"] is not None]
    assert osm_rows and all(f["properties"]["attribution"] == OSM for f in osm_rows)
    assert {f["properties"]["kind"] for f in document["features"]} == {"parking"}


def test_the_geopackage_has_an_attribution_table(world: None, tmp_path: Path) -> None:
    import pyogrio

    path = tmp_path / "export.gpkg"
    export_to_file("gpkg", Selection(), path)
    layers = {name for name, _ in pyogrio.list_layers(path)}
    assert layers == {"places", "features", "parking", "street_scores", "attribution"}
    credits = pyogrio.read_dataframe(path, layer="attribution")
    assert OSM in set(credits["attribution"])
    assert (
        "OpenStreetMap" in pyogrio.read_info(path, layer="places")["layer_metadata"]["attribution"]
    )


def test_a11yjson_validates_against_the_published_types_and_is_a_fixed_point(
    world: None, tmp_path: Path
) -> None:
    document = a11yjson_document(Selection(layers=["places", "parking"]))
    assert a11yjson_errors(document) == []
    cafe = next(
        f for f in document["features"] if f["properties"]["name"] == {"ko": "민지가 찾은 카페"}
    )
    side_door = cafe["properties"]["accessibility"]["entrances"][0]["properties"]
    assert side_door == {
        "name": {"ko": "옆문"},
        "isMainEntrance": False,
        "isLevel": False,
        "stairs": {"count": 2, "stepHeight": {"value": 9.5, "unit": "cm"}},
        "door": {"width": {"value": 80, "unit": "cm"}},
    }
    osm_lot = next(
        f
        for f in document["features"]
        if f["properties"].get("ids", {}).get("openstreetmap") == "node/1"
        and f["properties"]["category"] == "parking"
        and "count" in f["properties"]["accessibility"]["parking"]
    )
    assert osm_lot["properties"]["accessibility"]["parking"]["forWheelchairUsers"]["count"] == 4
    assert OSM in {c["attribution"] for c in document["attribution"]}

    path = tmp_path / "a11y.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    own = run_import(get_source("a11yjson"), path)
    assert own.counts["unchanged"] == len(document["features"])  # never overwrites its origin
    _wipe()
    run_import(get_source("a11yjson"), path, commit=True)
    again = a11yjson_document(Selection(layers=["places", "parking"]))

    def comparable(doc: dict[str, Any]) -> list[Any]:
        features = []
        for feature in doc["features"]:
            props = dict(feature["properties"])
            props.pop("ids", None)
            features.append((feature["geometry"]["coordinates"], props))
        return sorted(features, key=lambda f: json.dumps(f, sort_keys=True, ensure_ascii=False))

    assert comparable(again) == comparable(document)


def test_the_a11yjson_schema_refuses_what_the_types_do_not_have() -> None:
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [127.0, 37.5]},
        "properties": {
            "category": "cafe",
            "accessibility": {"entrances": [{"properties": {"door": {"widht": "90 cm"}}}]},
        },
    }
    errors = a11yjson_errors({"type": "FeatureCollection", "features": [feature]})
    assert errors and "widht" in errors[0]
    no_category = {"type": "FeatureCollection", "features": [{**feature, "properties": {}}]}
    assert "'category' is a required property" in a11yjson_errors(no_category)[0]


def test_rejected_contributions_stay_out_unless_asked(world: None) -> None:
    place = Place.objects.get(name="민지가 찾은 카페")
    place.status = "rejected"
    place.save()
    names = {p.name for p in Selection(layers=["places"]).queryset(LAYERS["places"])}
    assert "민지가 찾은 카페" not in names
    assert (
        Selection(layers=["places"], include_rejected=True)
        .queryset(LAYERS["places"])
        .filter(pk=place.pk)
        .exists()
    )
    assert Entrance.objects.filter(place=place).exists()
    assert AccessibilityFeature.objects.exists() and DisabledParkingSpot.objects.exists()


def test_geometry_survives_the_csv_round_trip_exactly() -> None:
    geom = GEOSGeometry("SRID=4326;LINESTRING(126.91234567891234 37.52345678912345, 126.9 37.5)")
    assert GEOSGeometry(geom.wkt, srid=4326).equals_exact(geom, tolerance=1e-12)
