"""The data-gap layer: where the network's data is missing or old, for volunteers and officials."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from mapping.models import AccessibilityFeature
from routing.layers.quality import GAPS
from routing.models import GraphEdge
from tests.tiles.conftest import by_id, decode
from tests.tiles.graph_world import crowd_reports, publish, segment_end, segment_of_kind, verified
from tiles.tilegrid import lonlat_to_tile

pytestmark = pytest.mark.django_db


def _url(edge: GraphEdge, z: int = 16) -> str:
    middle = edge.geom.interpolate_normalized(0.5)
    tile = lonlat_to_tile(middle.x, middle.y, z)
    return f"/tiles/network-quality/{tile.z}/{tile.x}/{tile.y}.pbf"


def test_gaps_are_listed_per_segment_and_filled_gaps_leave_the_layer(
    demo_graphs, graph_dir, anon, django_capture_on_commit_callbacks
) -> None:
    graph = demo_graphs["seoul-mapo-gongdeok"]
    reports = crowd_reports(graph)
    build = publish(graph, "seoul-mapo-gongdeok")
    segment = segment_of_kind(graph, "crossing", 2)
    crossing = GraphEdge.objects.get(graph=build, segment_index=segment)
    before = anon.get(_url(crossing))
    features = decode(before, "network-quality")
    assert features and all(f["properties"]["gap_count"] >= 1 for f in features)
    for feature in features:
        gaps = feature["properties"]["gaps"].split(",")
        assert set(gaps) <= set(GAPS) and len(gaps) == feature["properties"]["gap_count"]
    gaps = by_id(features)[crossing.pk]["properties"]["gaps"].split(",")
    assert "crossing_without_kerb" in gaps
    assert by_id(features)[crossing.pk]["properties"]["osm_way_id"] == crossing.osm_way_id
    # Someone measures both kerbs of the crossing: that gap is gone from the next tile.
    with django_capture_on_commit_callbacks(execute=True):
        for end in ("u", "v"):
            verified(geom=segment_end(graph, segment, end), kerb="lowered", kerb_height_cm=2.0)
    after = anon.get(_url(crossing), HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    still = by_id(decode(after, "network-quality")).get(crossing.pk)
    assert still is None or "crossing_without_kerb" not in still["properties"]["gaps"]
    # A crowd report verified three years ago is stale; one past its re-survey date is due.
    steps = GraphEdge.objects.get(graph=build, overlay_feature_id=reports["steps"].pk)
    props = by_id(decode(anon.get(_url(steps)), "network-quality"))[steps.pk]["properties"]
    assert "stale_report" in props["gaps"]
    ramp = GraphEdge.objects.get(graph=build, overlay_feature_id=reports["ramp"].pk)
    assert (
        "resurvey_due"
        not in by_id(decode(anon.get(_url(ramp)), "network-quality")).get(
            ramp.pk, {"properties": {"gaps": ""}}
        )["properties"]["gaps"]
    )
    AccessibilityFeature.objects.filter(pk=reports["ramp"].pk).update(
        resurvey_due_at=timezone.now() - timedelta(days=1)
    )
    props = by_id(decode(anon.get(_url(ramp)), "network-quality"))[ramp.pk]["properties"]
    assert "resurvey_due" in props["gaps"]


def test_the_gap_layer_is_public_and_described(anon) -> None:
    tilejson = anon.get("/tiles/network-quality.json").json()
    assert "crossing_without_kerb" in tilejson["vector_layers"][0]["fields"]["gaps"]
    catalogue = {layer["name"]: layer for layer in anon.get("/tiles/").json()["layers"]}
    assert not catalogue["network-quality"]["restricted"]
    assert catalogue["network"]["profile_parameters"]
