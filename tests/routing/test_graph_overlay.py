"""Verified crowd observations override the graph without re-reading OSM."""

from __future__ import annotations

import math
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.contrib.gis.geos import LineString, Point
from django.utils import timezone

from accounts.models import User
from mapping.services import cast_vote, review
from routing.graph.build import build_graph
from routing.graph.contract import KERB, KIND
from routing.graph.publish import publish_graph
from routing.graph.store import blocked_mask, current_directory, get_graph, obstacle_width_at
from routing.models import GraphBuild, GraphEdge, GraphOverlayItem
from tests.conftest import make_feature, shared_data
from tests.routing.conftest import HELSINKI, MAPO

pytestmark = pytest.mark.django_db


@pytest.fixture
def mapo(graph_dir: Path) -> GraphBuild:
    return publish_graph(build_graph(shared_data(MAPO)), name="mapo")


def _verify(feature: Any, official: User, capture: Any) -> None:
    """Two votes reach consensus (an official's weighs double): the feature is validated."""
    with capture(execute=True):
        review(feature, official, "validated")


def _crossing_segment(name: str) -> tuple[int, int]:
    graph = get_graph(name)
    seg = graph.segments
    crossing = np.flatnonzero(graph.edges["kind"][seg["forward_edge"]] == KIND.index("crossing"))
    segment = int(crossing[0])
    return segment, int(seg["u"][segment])


def test_published_graph_fills_postgis_tables(mapo: GraphBuild) -> None:
    assert mapo.is_active
    assert GraphEdge.objects.filter(graph=mapo).count() == mapo.segment_count
    assert mapo.nodes.count() == mapo.node_count
    crossing = GraphEdge.objects.filter(graph=mapo, kind="crossing").first()
    assert crossing is not None and crossing.geom.srid == 4326
    assert crossing.kerb_u == "" and crossing.kerb_u_cm is None  # unknown stays unknown
    assert (
        mapo.quality["crossings"]["without_kerb_info"] == mapo.quality["crossings"]["crossing_ways"]
    )


def test_verified_kerb_changes_the_edge_it_was_snapped_to(
    mapo: GraphBuild,
    minji: User,
    junho: User,
    official: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    segment, node = _crossing_segment("mapo")
    graph = get_graph("mapo")
    lon, lat = float(graph.nodes["lon"][node]), float(graph.nodes["lat"][node])
    base_files = {
        p.name: p.stat().st_mtime_ns for p in current_directory("mapo").glob("edge_*.npy")
    }
    with django_capture_on_commit_callbacks(execute=True):
        kerb = make_feature(
            geom=Point(lon + 0.00001, lat, srid=4326),
            kerb="raised",
            kerb_height_cm=14.0,
            observer=minji,
        )
    assert not GraphOverlayItem.objects.exists()  # not verified yet: OSM (unknown) still rules
    with django_capture_on_commit_callbacks(execute=True):
        cast_vote(kerb, junho, "agree")
        cast_vote(kerb, official, "agree")
    kerb.refresh_from_db()
    assert kerb.status == "validated"

    item = GraphOverlayItem.objects.get(feature=kerb)
    assert item.target == "node" and item.node_index == node and item.distance_m < 1.5
    graph = get_graph("mapo")
    edges = graph.edges
    starting = np.flatnonzero(edges["u"] == node)
    ending = np.flatnonzero(edges["v"] == node)
    assert (edges["kerb_u_cm"][starting] == 14.0).all()
    assert (edges["kerb_v_cm"][ending] == 14.0).all()
    assert (edges["kerb_u"][starting] == KERB.index("raised")).all()
    assert (edges["overlay_feature_id"][starting] == kerb.pk).all()
    row = GraphEdge.objects.get(graph=mapo, segment_index=segment)
    assert "raised" in (row.kerb_u, row.kerb_v)
    assert 14.0 in (row.kerb_u_cm, row.kerb_v_cm)
    assert row.overlay_feature_id == kerb.pk
    # the base arrays were not rebuilt: OSM was not read again
    assert {
        p.name: p.stat().st_mtime_ns for p in current_directory("mapo").glob("edge_*.npy")
    } == base_files
    assert GraphBuild.objects.get(pk=mapo.pk).build_id == mapo.build_id

    with django_capture_on_commit_callbacks(execute=True):
        review(kerb, official, "rejected", "wrong junction")
    graph = get_graph("mapo")
    assert np.isnan(graph.edges["kerb_u_cm"][starting]).all()
    assert GraphEdge.objects.get(graph=mapo, segment_index=segment).kerb_u_cm is None


def test_kerb_mid_edge_changes_only_the_nearer_end(
    mapo: GraphBuild, official: User, django_capture_on_commit_callbacks: Any
) -> None:
    graph = get_graph("mapo")
    seg = graph.segments
    forward = seg["forward_edge"]
    length = graph.edges["length_m"][forward]
    straight = np.diff(seg["geom_offsets"]) == 2
    segment = int(np.flatnonzero(straight & (length > 20) & (length < 60))[0])
    coords = graph.edge_coords(int(forward[segment]))
    near_u = coords[0] + (coords[-1] - coords[0]) * 0.3  # >= 6 m from u: beyond the node tolerance
    kerb = make_feature(geom=Point(*near_u, srid=4326), kerb="lowered", kerb_height_cm=2.0)
    _verify(kerb, official, django_capture_on_commit_callbacks)
    item = GraphOverlayItem.objects.get(feature=kerb)
    assert item.target == "edge" and item.segment_index == segment
    graph = get_graph("mapo")
    backward = int(seg["backward_edge"][segment])
    assert graph.edges["kerb_u_cm"][forward[segment]] == 2.0
    assert math.isnan(graph.edges["kerb_v_cm"][forward[segment]])
    assert graph.edges["kerb_v_cm"][backward] == 2.0
    assert graph.edges["kerb_u"][backward] == -1


def test_temporary_obstacle_blocks_until_it_expires(
    mapo: GraphBuild, official: User, django_capture_on_commit_callbacks: Any
) -> None:
    graph = get_graph("mapo")
    seg = graph.segments
    sidewalk = int(
        np.flatnonzero(graph.edges["kind"][seg["forward_edge"]] == KIND.index("sidewalk"))[0]
    )
    coords = graph.edge_coords(int(seg["forward_edge"][sidewalk]))
    middle = coords[len(coords) // 2] if len(coords) > 2 else coords.mean(axis=0)
    expires = timezone.now() + timedelta(hours=2)
    obstacle = make_feature(
        feature_type="obstacle",
        geom=Point(*middle, srid=4326),
        kerb="",
        kerb_height_cm=None,
        is_temporary=True,
        expires_at=expires,
    )
    _verify(obstacle, official, django_capture_on_commit_callbacks)
    graph = get_graph("mapo")
    both = [int(seg["forward_edge"][sidewalk]), int(seg["backward_edge"][sidewalk])]
    now = timezone.now().timestamp()
    assert blocked_mask(graph, now)[both].all()
    assert blocked_mask(graph, now).sum() == 2
    assert not blocked_mask(graph, expires.timestamp() + 1)[both].any()
    assert GraphEdge.objects.get(graph=mapo, segment_index=sidewalk).obstacle_width_m == 0


def test_narrowing_obstacle_keeps_a_width(
    mapo: GraphBuild, official: User, django_capture_on_commit_callbacks: Any
) -> None:
    graph = get_graph("mapo")
    seg = graph.segments
    sidewalk = int(
        np.flatnonzero(graph.edges["kind"][seg["forward_edge"]] == KIND.index("sidewalk"))[1]
    )
    coords = graph.edge_coords(int(seg["forward_edge"][sidewalk]))
    line = LineString([tuple(c) for c in coords[:2]], srid=4326)
    obstacle = make_feature(
        feature_type="obstacle",
        geom=line.interpolate_normalized(0.5),
        kerb="",
        kerb_height_cm=None,
        width_m=0.7,
        is_temporary=True,
        expires_at=timezone.now() + timedelta(days=1),
    )
    obstacle.geom.srid = 4326
    _verify(obstacle, official, django_capture_on_commit_callbacks)
    graph = get_graph("mapo")
    edge = int(seg["forward_edge"][sidewalk])
    now = timezone.now().timestamp()
    assert not blocked_mask(graph, now)[edge]
    assert obstacle_width_at(graph, now)[edge] == pytest.approx(0.7)


def test_elevator_out_of_order_blocks_its_ride(
    graph_dir: Path, official: User, django_capture_on_commit_callbacks: Any
) -> None:
    build = publish_graph(build_graph(shared_data(HELSINKI)), name="helsinki")
    graph = get_graph("helsinki")
    rides = np.flatnonzero(graph.segments["osm_node_id"] >= 0)
    elevator_osm = int(graph.segments["osm_node_id"][rides[0]])
    stop = int(np.flatnonzero(graph.nodes["osm_id"] == elevator_osm)[0])
    where = Point(float(graph.nodes["lon"][stop]), float(graph.nodes["lat"][stop]), srid=4326)
    broken = make_feature(
        feature_type="elevator", geom=where, kerb="", kerb_height_cm=None, elevator_working=False
    )
    _verify(broken, official, django_capture_on_commit_callbacks)
    graph = get_graph("helsinki")
    ride_segments = np.flatnonzero(graph.segments["osm_node_id"] == elevator_osm)
    ride_edges = np.concatenate(
        [
            graph.segments["forward_edge"][ride_segments],
            graph.segments["backward_edge"][ride_segments],
        ]
    )
    blocked = blocked_mask(graph, timezone.now().timestamp())
    assert blocked[ride_edges].all()
    assert blocked.sum() == len(ride_edges)  # only the ride, not the footways leading to it
    assert GraphEdge.objects.filter(
        graph=build, obstacle_width_m=0, kind="elevator"
    ).count() == len(ride_segments)

    fixed = make_feature(
        feature_type="elevator", geom=where, kerb="", kerb_height_cm=None, elevator_working=True
    )
    _verify(fixed, official, django_capture_on_commit_callbacks)
    assert not blocked_mask(get_graph("helsinki"), timezone.now().timestamp()).any()


def test_unsnappable_feature_is_left_out(
    mapo: GraphBuild, official: User, django_capture_on_commit_callbacks: Any
) -> None:
    far = make_feature(geom=Point(126.90, 37.50, srid=4326))  # inside the bbox? no: kilometres away
    _verify(far, official, django_capture_on_commit_callbacks)
    assert not GraphOverlayItem.objects.filter(feature=far).exists()


def test_graph_loads_from_arrays_in_a_fresh_process_cache(mapo: GraphBuild) -> None:
    directory = current_directory("mapo")
    assert directory == Path(mapo.directory)
    assert (directory / "meta.json").exists()
    graph = get_graph("mapo")
    assert graph is get_graph("mapo")  # cached while the overlay stamp is unchanged
    assert isinstance(graph.edges["length_m"], np.memmap)
    assert graph.meta["source"]["sha256"] == mapo.source_sha256
