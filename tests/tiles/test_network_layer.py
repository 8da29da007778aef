"""The network layer: each segment coloured for a profile by the routing engine's own rules."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.contrib.gis.geos import Point

from importers.osm.tags import KERB_HEIGHT_CM
from routing.engine.segment_status import (
    CONSTRAINT_NAMES,
    NONE,
    STATUS_NAMES,
    WARNINGS,
    names,
    overall,
    segment_status,
)
from routing.graph.store import get_graph
from routing.models import GraphEdge, GraphNode
from routing.profiles import PRESETS, UNKNOWN_ATTRIBUTES
from tests.tiles.conftest import by_id, decode
from tests.tiles.graph_world import (
    crowd_reports,
    publish,
    segment_end,
    segment_of_kind,
    verified,
)
from tiles.registry import get_layer
from tiles.sql import feature_rows
from tiles.tilegrid import lonlat_to_tile

pytestmark = pytest.mark.django_db

CUSTOM = [
    ("manual_wheelchair", {"max_kerb_height_cm": "5", "min_width_m": "0.9"}),
    ("manual_wheelchair", {"unknown_policy": "strict"}),
    ("manual_wheelchair", {"unknown_policy": "kerb:permissive,width:strict,surface:strict"}),
    ("stroller", {"max_steps": "4", "max_uphill_pct": "9", "min_confidence": "0.6"}),
    ("walker_cane", {"allow_escalators": "false", "allow_elevators": "false"}),
    ("powered_wheelchair", {"max_kerb_height_cm": "30", "worst_surface": "mud"}),
    ("manual_wheelchair", {"max_downhill_pct": "3", "worst_surface": "asphalt"}),
]
PROFILES = [(key, {}) for key in PRESETS] + CUSTOM


def sql_rows(build: Any, params: dict[str, str]) -> dict[int, dict[str, Any]]:
    layer = get_layer("network")
    parsed = layer.parse_params(params)
    queryset = layer.features(parsed).filter(graph=build)
    columns = ("segment_index", *layer.helper_columns)
    rows = feature_rows(layer, parsed, queryset.values(*columns))
    return {row["segment_index"]: row for row in rows}


def _assert_agree(name: str, build: Any, params: dict[str, str]) -> int:
    graph = get_graph(name)
    profile = get_layer("network").profile(get_layer("network").parse_params(params))
    reference = segment_status(graph, profile, time.time())
    rows = sql_rows(build, params)
    assert len(rows) == graph.segment_count
    blocked = 0
    for segment, row in rows.items():
        for d in ("fwd", "bwd"):
            if getattr(reference, f"status_{d}")[segment] == NONE:
                assert row[f"{d[0]}{'orward' if d == 'fwd' else 'ackward'}_edge"] is None
                continue
            expected = (
                int(getattr(reference, f"blocked_{d}")[segment]),
                int(getattr(reference, f"warnings_{d}")[segment]),
            )
            got = (row[f"bits_{d}"], row[f"warnings_{d}"])
            assert got == expected, (name, params, segment, d, got, expected)
            blocked += expected[0] != 0
        assert row["unknown_bits"] == int(reference.unknown[segment]), (name, params, segment)
    return blocked


def test_sql_status_agrees_with_the_engine_on_the_demo_graphs(
    demo_graphs, graph_dir, django_capture_on_commit_callbacks
) -> None:
    """Every segment of both demo graphs, both directions, every preset and custom profiles,
    with verified crowd reports of every kind on them (one below a custom min_confidence)."""
    builds = {}
    for name, graph in demo_graphs.items():
        crowd_reports(graph)
        builds[name] = publish(graph, name)
    assert GraphEdge.objects.filter(overlay_feature_id__isnull=False).count() >= 6
    blocked = {}
    for preset, overrides in PROFILES:
        for name, build in builds.items():
            blocked[(preset, str(overrides), name)] = _assert_agree(
                name, build, {"profile": preset, **overrides}
            )
    # The comparison is not vacuous: profiles block very different amounts of the network, and
    # every rule fires somewhere (in the engine's answer, which the SQL matched).
    assert blocked[("manual_wheelchair", "{}", "seoul-yeouido")] > 0
    assert len(set(blocked.values())) > 4
    fired = set()
    for preset, overrides in PROFILES:
        profile = get_layer("network").profile({"profile": preset, **overrides})
        for name in builds:
            status = segment_status(get_graph(name), profile, time.time())
            for bits in (status.blocked_fwd, status.blocked_bwd):
                fired |= {
                    c for c in CONSTRAINT_NAMES if (bits & (1 << CONSTRAINT_NAMES.index(c))).any()
                }
            for bits in (status.warnings_fwd, status.warnings_bwd):
                fired |= {w for w in WARNINGS if (bits & (1 << WARNINGS.index(w))).any()}
    expected = {
        "steps",
        "uphill",
        "downhill",
        "kerb",
        "width",
        "surface",
        "smoothness",
        "barrier",
        "obstacle",
        "unknown_kerb",
        "unknown_width",
        "near_limit",
        "no_sidewalk",
        "stale_report",
        "low_confidence",
        "ignored_report",
        "coarse_slope",
        "unknown_incline",
        "unknown_surface",
        "unknown_smoothness",
    }
    assert expected <= fired, expected - fired


def _tile_of(point: Point, z: int = 16) -> str:
    tile = lonlat_to_tile(point.x, point.y, z)
    return f"{tile.z}/{tile.x}/{tile.y}"


def test_network_tile_says_per_direction_why_a_segment_is_blocked_or_amber(
    demo_graphs, graph_dir, anon
) -> None:
    graph = demo_graphs["seoul-yeouido"]
    reports = crowd_reports(graph)
    build = publish(graph, "seoul-yeouido")
    ramp = GraphEdge.objects.get(graph=build, overlay_feature_id=reports["ramp"].pk)
    steps = GraphEdge.objects.get(graph=build, overlay_feature_id=reports["steps"].pk)
    where = _tile_of(ramp.geom.interpolate_normalized(0.5))
    tile = by_id(
        decode(anon.get(f"/tiles/network/{where}.pbf?profile=manual_wheelchair"), "network")
    )
    surveyed = tile[ramp.pk]["properties"]
    # A 9 % ramp: too steep to climb with an 8 % limit, passable (close to the 10 % limit) downhill.
    climbing_fwd = surveyed["climb_fwd_pct"] == 9.0
    up, down = ("fwd", "bwd") if climbing_fwd else ("bwd", "fwd")
    assert surveyed[f"status_{up}"] == "blocked" and surveyed[f"why_{up}"] == "uphill"
    assert surveyed[f"status_{down}"] == "warning" and "near_limit" in surveyed[f"why_{down}"]
    assert surveyed["status"] == "warning" and surveyed["width_m"] == 0.9
    # The same tile for someone who climbs 12 %: passable both ways, still close to the limits.
    other = anon.get(f"/tiles/network/{where}.pbf?profile=manual_wheelchair&max_uphill_pct=12")
    assert by_id(decode(other, "network"))[ramp.pk]["properties"][f"status_{up}"] == "warning"
    # Four steps without a ramp: blocked both ways for a wheelchair, passable on foot with a cane.
    where = _tile_of(steps.geom.interpolate_normalized(0.5))
    wheel = by_id(decode(anon.get(f"/tiles/network/{where}.pbf"), "network"))[steps.pk]
    assert wheel["properties"]["status"] == "blocked"
    assert wheel["properties"]["why_fwd"] == wheel["properties"]["why_bwd"] == "steps"
    cane = anon.get(f"/tiles/network/{where}.pbf?profile=walker_cane")
    cane_props = by_id(decode(cane, "network"))[steps.pk]["properties"]
    assert cane_props["status_fwd"] != "blocked" and cane_props["step_count"] == 4
    assert "stale_report" in cane_props["why_fwd"]  # verified three years ago


def test_tile_attributes_are_the_engine_statuses_spelled_out(demo_graphs, graph_dir, anon) -> None:
    graph = demo_graphs["seoul-mapo-gongdeok"]
    crowd_reports(graph)
    build = publish(graph, "seoul-mapo-gongdeok")
    reference = segment_status(get_graph("seoul-mapo-gongdeok"), PRESETS["stroller"], time.time())
    crossing = GraphEdge.objects.filter(graph=build, kind="crossing").first()
    response = anon.get(
        f"/tiles/network/{_tile_of(crossing.geom.interpolate_normalized(0.5))}.pbf?profile=stroller"
    )
    features = decode(response, "network")
    rows = {
        e.pk: e.segment_index for e in GraphEdge.objects.filter(pk__in=[f["id"] for f in features])
    }
    assert len(features) > 20
    for feature in features:
        props, s = feature["properties"], rows[feature["id"]]
        for d in ("fwd", "bwd"):
            status = int(getattr(reference, f"status_{d}")[s])
            if status == NONE:
                assert f"status_{d}" not in props
                continue
            assert props[f"status_{d}"] == STATUS_NAMES[status]
            bits = int(getattr(reference, f"blocked_{d}")[s])
            why = names(bits, CONSTRAINT_NAMES) or names(
                int(getattr(reference, f"warnings_{d}")[s]), WARNINGS
            )
            assert props.get(f"why_{d}", "") == ",".join(why)
        assert (
            props["status"]
            == STATUS_NAMES[overall(int(reference.status_fwd[s]), int(reference.status_bwd[s]))]
        )
        assert props.get("unknown", "") == ",".join(
            names(int(reference.unknown[s]), UNKNOWN_ATTRIBUTES)
        )


def test_a_verified_kerb_changes_the_next_network_tile(
    demo_graphs, graph_dir, anon, minji, official, django_capture_on_commit_callbacks
) -> None:
    from mapping.services import review

    graph = demo_graphs["seoul-mapo-gongdeok"]
    build = publish(graph, "seoul-mapo-gongdeok")
    segment = segment_of_kind(graph, "crossing", 2)
    crossing = GraphEdge.objects.get(graph=build, segment_index=segment)
    url = f"/tiles/network/{_tile_of(crossing.geom.interpolate_normalized(0.5))}.pbf"
    before = anon.get(url)
    props = by_id(decode(before, "network"))[crossing.pk]["properties"]
    assert props["status"] == "warning" and "unknown_kerb" in props["why_fwd"]
    assert "kerb" in props["unknown"]
    with django_capture_on_commit_callbacks(execute=True):
        kerb = verified(
            geom=segment_end(graph, segment, "u"),
            kerb="raised",
            kerb_height_cm=12.0,
            observer=minji,
            status="unvalidated",
        )
    assert anon.get(url, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 304  # not verified yet
    with django_capture_on_commit_callbacks(execute=True):
        review(kerb, official, "validated")
    after = anon.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    props = by_id(decode(after, "network"))[crossing.pk]["properties"]
    assert props["status"] == "blocked" and props["why_fwd"] == props["why_bwd"] == "kerb"
    assert props["kerb_cm"] == 12.0 and "kerb" not in props.get("unknown", "")


def test_network_profile_parameters_are_validated(anon) -> None:
    assert anon.get("/tiles/network/16/55886/25381.pbf?profile=jetpack").status_code == 400
    bad = anon.get("/tiles/network/16/55886/25381.pbf?max_kerb_height_cm=300")
    assert bad.status_code == 400 and "max_kerb_height_cm" in bad.json()["errors"]
    assert (
        anon.get("/tiles/network/16/55886/25381.pbf?unknown_policy=kerb:maybe").status_code == 400
    )


def test_a_rebuilt_graph_moves_the_network_layers_version(demo_graphs, graph_dir) -> None:
    from tiles.versions import layer_version

    graph = demo_graphs["seoul-yeouido"]
    publish(graph, "seoul-yeouido")
    versions = {name: layer_version(get_layer(name)) for name in ("network", "network-quality")}
    publish(graph, "seoul-yeouido")  # rebuilt from the same extract: new rows
    for name, before in versions.items():
        assert layer_version(get_layer(name)) != before, name


def test_rows_carry_the_barriers_at_their_ends(demo_graphs, graph_dir) -> None:
    """The stile the demo graphs get (see graph_world) is copied onto the edge rows ending there,
    and every row's end barriers are its nodes' (the network layer reads them per row)."""
    build = publish(demo_graphs["seoul-yeouido"], "seoul-yeouido")
    nodes = dict(GraphNode.objects.filter(graph=build).values_list("node_index", "barrier"))
    edges = GraphEdge.objects.filter(graph=build)
    assert edges.filter(barrier_v="stile").exists()
    for u, v, at_u, at_v in edges.values_list("u_index", "v_index", "barrier_u", "barrier_v"):
        assert (at_u, at_v) == (nodes[u], nodes[v])


def test_stored_rule_inputs_follow_every_write_of_a_row(demo_graphs, graph_dir) -> None:
    """Climb, descent and kerb height are computed by PostgreSQL whenever a row is written
    (an overlay refresh updates rows in place): never stale."""
    build = publish(demo_graphs["seoul-yeouido"], "seoul-yeouido")
    edges = GraphEdge.objects.filter(graph=build, kind="footway")
    row = edges.first()
    # A tagged 7.5 % incline down the line, no confident DEM grade, a raised kerb of unknown
    # height at u and a measured 2 cm one at v.
    edges.filter(pk=row.pk).update(
        incline_pct=-7.5,
        grade_confidence=None,
        grade_source="",
        kerb_u="raised",
        kerb_u_cm=None,
        kerb_v="lowered",
        kerb_v_cm=2.0,
    )
    row.refresh_from_db()
    assert (row.rule_climb_fwd_pct, row.rule_descent_fwd_pct) == (0.0, 7.5)
    assert (row.rule_climb_bwd_pct, row.rule_descent_bwd_pct) == (7.5, 0.0)
    assert row.rule_kerb_cm == KERB_HEIGHT_CM["raised"]
    # Untagged, with a confident DEM grade: the grade is the limit in each direction.
    edges.filter(pk=row.pk).update(
        incline_pct=None, grade_confidence=0.9, grade_max_up_pct=3.0, grade_max_down_pct=5.0
    )
    row.refresh_from_db()
    assert (row.rule_climb_fwd_pct, row.rule_climb_bwd_pct) == (3.0, 5.0)
    assert row.rule_grade_is_limit is True
    # A coarse one is only a hint: the climb is unknown.
    edges.filter(pk=row.pk).update(grade_confidence=0.1)
    row.refresh_from_db()
    assert row.rule_climb_fwd_pct is None and row.rule_grade_is_limit is False
