"""OSM write-back: an osmChange for JOSM that changes only the tags modugil changed, against the
OSM version modugil saw, for reviewed changes only."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from importers.base import run_import
from importers.exports.osmchange import build_osmchange, candidates
from importers.registry import get_source
from mapping import services
from mapping.models import AccessibilityFeature, Place
from tests.importers.edits import edit

pytestmark = pytest.mark.django_db

EXTRACT = """<?xml version='1.0' encoding='UTF-8'?>
<osm version="0.6" generator="test">
  <node id="10" version="{toilet_version}" lat="37.5250000" lon="126.9250000" timestamp="2024-03-01T00:00:00Z">
    <tag k="amenity" v="toilets"/><tag k="name" v="여의도 공중화장실"/><tag k="wheelchair" v="no"/>
    <tag k="opening_hours" v="{hours}"/>
  </node>
  <node id="11" version="2" lat="37.5260000" lon="126.9260000" timestamp="2024-03-01T00:00:00Z">
    <tag k="barrier" v="kerb"/><tag k="kerb" v="raised"/>
  </node>
  <node id="12" version="1" lat="37.5270000" lon="126.9270000" timestamp="2024-03-01T00:00:00Z">
    <tag k="amenity" v="cafe"/><tag k="name" v="카페"/><tag k="wheelchair" v="yes"/>
  </node>
  <node id="21" version="1" lat="37.5280000" lon="126.9280000"/>
  <node id="22" version="1" lat="37.5281000" lon="126.9282000"/>
  <way id="20" version="4" timestamp="2024-03-01T00:00:00Z">
    <nd ref="21"/><nd ref="22"/>
    <tag k="highway" v="steps"/><tag k="step_count" v="10"/><tag k="handrail" v="no"/>
  </way>
</osm>
"""


def _import(tmp_path: Path, toilet_version: int = 7, hours: str = "24/7") -> None:
    path = tmp_path / f"extract-{toilet_version}.osm"
    path.write_text(EXTRACT.format(toilet_version=toilet_version, hours=hours), encoding="utf-8")
    report = run_import(get_source("osm"), path, commit=True)
    assert report.counts["rejected"] == 0


def _elements(xml: str) -> dict[str, ET.Element]:
    root = ET.fromstring(xml)  # noqa: S314 - our own output
    assert root.tag == "osmChange" and root.get("version") == "0.6"
    assert [child.tag for child in root] == ["modify"]
    return {f"{e.tag}/{e.get('id')}": e for e in root.find("modify")}  # type: ignore[union-attr]


def _tags(element: ET.Element) -> dict[str, str]:
    return {t.get("k"): t.get("v") for t in element.findall("tag")}  # type: ignore[misc]


@pytest.fixture
def edited(tmp_path: Path, minji: Any, official: Any) -> dict[str, Any]:
    _import(tmp_path)
    toilet = edit(Place.objects.get(osm_id=10), minji, wheelchair_tag="yes")
    kerb = edit(
        AccessibilityFeature.objects.get(osm_id=11), minji, kerb="lowered", kerb_height_cm=2.0
    )
    steps = edit(AccessibilityFeature.objects.get(osm_id=20), minji, handrail=True)
    return {"toilet": toilet, "kerb": kerb, "steps": steps, "official": official}


def test_only_reviewed_changes_are_written_back(edited: dict[str, Any]) -> None:
    assert _elements(build_osmchange(candidates()).xml) == {}
    unreviewed = _elements(build_osmchange(candidates(reviewed_only=False)).xml)
    assert set(unreviewed) == {"node/10", "node/11", "way/20"}


def test_the_change_keeps_every_other_tag_and_the_version_seen(edited: dict[str, Any]) -> None:
    for name in ("toilet", "kerb", "steps"):
        services.review(edited[name], edited["official"], "validated")
    change = build_osmchange(candidates())
    elements = _elements(change.xml)
    assert set(elements) == {"node/10", "node/11", "way/20"}  # the untouched cafe is not sent
    toilet = elements["node/10"]
    assert (toilet.get("version"), toilet.get("lat"), toilet.get("lon")) == (
        "7",
        "37.5250000",
        "126.9250000",
    )
    assert _tags(toilet) == {
        "amenity": "toilets",
        "name": "여의도 공중화장실",
        "wheelchair": "yes",
        "opening_hours": "24/7",
    }
    assert _tags(elements["node/11"]) == {
        "barrier": "kerb",
        "kerb": "lowered",
        "kerb:height": "0.02",
    }
    steps = elements["way/20"]
    assert steps.get("version") == "4" and [nd.get("ref") for nd in steps.findall("nd")] == [
        "21",
        "22",
    ]
    assert _tags(steps) == {"highway": "steps", "step_count": "10", "handrail": "yes"}
    assert {m["element"]: m["changes"] for m in change.modified} == {
        "node/10": {"wheelchair": "yes"},
        "node/11": {"kerb": "lowered", "kerb:height": "0.02"},
        "way/20": {"handrail": "yes"},
    }
    assert "OpenStreetMap contributors" in change.xml and "odbl" in change.xml


def test_a_newer_extract_never_undoes_a_local_edit_nor_moves_the_version_under_it(
    edited: dict[str, Any], tmp_path: Path
) -> None:
    services.review(edited["toilet"], edited["official"], "validated")
    # someone changed the opening hours in OSM (version 8); the toilet was edited here since
    report = run_import(get_source("osm"), _write(tmp_path, 8, "Mo-Fr 06:00-22:00"), commit=True)
    kept = next(o for o in report.outcomes if o.key == "node/10")
    assert kept.action == "unchanged" and "local_edit_kept" in kept.flags
    toilet = Place.objects.get(osm_id=10)
    assert (toilet.wheelchair_tag, toilet.osm_version) == ("yes", 7)
    element = _elements(build_osmchange(candidates()).xml)["node/10"]
    # sent against version 7: JOSM reports the conflict with version 8 instead of replaying
    # the old opening_hours over the new one
    assert element.get("version") == "7" and _tags(element)["opening_hours"] == "24/7"


def test_an_element_without_its_import_snapshot_is_skipped_with_a_reason(
    edited: dict[str, Any],
) -> None:
    from importers.models import OsmElementSnapshot

    services.review(edited["kerb"], edited["official"], "validated")
    OsmElementSnapshot.objects.filter(osm_id=11).delete()
    change = build_osmchange(candidates())
    assert _elements(change.xml) == {}
    assert change.skipped == [
        {
            "element": "node/11",
            "reason": "no import snapshot of this version: re-import the extract",
        }
    ]


def test_osmchange_is_for_officials_over_the_api(
    edited: dict[str, Any], client_for: Any, minji: Any, anon: Any
) -> None:
    assert anon.get("/api/exports/osmchange/").status_code == 403
    assert client_for(minji).get("/api/exports/osmchange/").status_code == 403
    response = client_for(edited["official"]).get("/api/exports/osmchange/?include_unreviewed=true")
    assert response.status_code == 200 and response["Content-Type"] == "application/xml"
    body = b"".join(response.streaming_content).decode()
    assert set(_elements(body)) == {"node/10", "node/11", "way/20"}


def _write(tmp_path: Path, version: int, hours: str) -> Path:
    path = tmp_path / f"extract-{version}.osm"
    path.write_text(EXTRACT.format(toilet_version=version, hours=hours), encoding="utf-8")
    return path
