"""The routing API: GeoJSON routes with warnings and what they avoided, trips, reachability
areas, the profile catalogue, and clear 4xx errors for bad input."""

from __future__ import annotations

import numpy as np
import pytest
from django.contrib.gis.geos import Point

from routing.graph.contract import KIND
from routing.graph.store import get_graph
from tests.conftest import make_parking, make_place

pytestmark = pytest.mark.django_db


def _node(graph, i: int) -> str:
    return f"{graph.nodes['lon'][i]:.7f},{graph.nodes['lat'][i]:.7f}"


def _steps_pair(graph) -> tuple[str, str]:
    """The two ends of a flight of steps in the largest component."""
    steps = np.flatnonzero(graph.edges["kind"] == KIND.index("steps"))
    component = graph.nodes["component"]
    edge = next(
        e
        for e in steps.tolist()
        if component[graph.edges["u"][e]] == 0 and graph.edges["length_m"][e] > 8
    )
    return _node(graph, int(graph.edges["u"][edge])), _node(graph, int(graph.edges["v"][edge]))


def test_route_is_geojson_with_segments_warnings_and_avoided(routing_graphs, anon) -> None:
    graph = get_graph("helsinki")
    origin, destination = _steps_pair(graph)
    r = anon.get(
        "/api/routing/route/",
        {"origin": origin, "destination": destination, "graph": "helsinki", "alternatives": 3},
    )
    if r.status_code == 422:  # the steps are the only way: the answer must say so
        assert r.json()["code"] == "no_route" and r.json()["detail"]
        return
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["type"] == "FeatureCollection"
    (route,) = [f for f in body["features"] if f["properties"]["role"] == "route"]
    props = route["properties"]
    assert props["length_m"] > 0 and props["duration_s"] > 0
    assert "flight" in props["avoided"]["text"] and props["avoided"]["counts"]["steps"] >= 1
    assert props["avoided"]["walking_length_m"] > 0
    assert any(w["code"] == "unknown_width" for w in props["warnings"])
    segments = [f for f in body["features"] if f["properties"]["role"] == "segment"]
    assert segments and {
        "incline_pct",
        "surface",
        "width_m",
        "kerb_end",
        "source",
        "age_days",
    } <= set(segments[0]["properties"])
    assert all(s["properties"]["kind"] != "steps" for s in segments)
    assert len([f for f in body["features"] if f["properties"]["role"] == "alternative"]) <= 3
    assert body["properties"]["origin"]["snap_distance_m"] < 1
    assert "OpenStreetMap" in body["properties"]["attribution"]


def test_route_answers_in_korean(routing_graphs) -> None:
    from rest_framework.test import APIClient

    graph = get_graph("mapo")
    r = APIClient(HTTP_ACCEPT_LANGUAGE="ko").get(
        "/api/routing/route/",
        {
            "origin": _node(graph, 5),
            "destination": _node(graph, 900),
            "graph": "mapo",
            "profile": "walker_cane",
        },
    )
    assert r.status_code in (200, 422)
    text = str(r.json())
    assert any("\uac00" <= ch <= "\ud7a3" for ch in text)  # Hangul in the warnings or the reason


@pytest.mark.parametrize(
    ("params", "status", "code", "field"),
    [
        (
            {"origin": "24.94,60.17", "destination": "25.5,60.5"},
            422,
            "point_not_on_network",
            "destination",
        ),
        (
            {"origin": "24.94,60.17", "destination": "24.943,60.17", "profile": "rocket"},
            400,
            "unknown_profile",
            "profile",
        ),
        (
            {"origin": "24.94,60.17", "destination": "24.943,60.17", "max_uphill_pct": "80"},
            400,
            "invalid",
            "max_uphill_pct",
        ),
        (
            {"origin": "24.94,60.17", "destination": "24.943,60.17", "wings": "2"},
            400,
            "invalid",
            "wings",
        ),
        (
            {"origin": "60.17,24.94", "destination": "24.943,60.17", "max_kerb_height_cm": "x"},
            400,
            "invalid",
            "max_kerb_height_cm",
        ),
        ({"origin": "200,60", "destination": "24.943,60.17"}, 400, "invalid", "origin"),
        ({"origin": "abc", "destination": "24.943,60.17"}, 400, "invalid", "origin"),
        (
            {"origin": "24.94,60.17", "destination": "24.943,60.17", "alternatives": "9"},
            400,
            "invalid",
            "alternatives",
        ),
        (
            {"origin": "24.94,60.17", "destination": "24.943,60.17", "graph": "atlantis"},
            404,
            "unknown_graph",
            "graph",
        ),
    ],
)
def test_bad_input_gets_a_clear_4xx(routing_graphs, anon, params, status, code, field) -> None:
    r = anon.get("/api/routing/route/", {"graph": "helsinki", **params})
    assert r.status_code == status, r.json()
    assert r.json()["code"] == code and field in r.json()["errors"]


def test_point_far_from_usable_paths_is_refused_with_the_distance(routing_graphs, anon) -> None:
    graph = get_graph("helsinki")
    lon, lat = graph.nodes["lon"][10], graph.nodes["lat"][10]
    r = anon.get(
        "/api/routing/route/",
        {
            "origin": f"{lon},{lat + 0.0012}",
            "destination": _node(graph, 20),
            "graph": "helsinki",
            "max_snap_m": "5",
        },
    )
    assert r.status_code == 422
    assert (
        r.json()["code"] == "point_not_on_network"
        and r.json()["nearest_m"] > 5
        and r.json()["limit_m"] == 5
    )


def test_trip_optimises_order_and_lists_amenities(routing_graphs, anon) -> None:
    graph = get_graph("mapo")
    main = np.flatnonzero(graph.nodes["component"] == 0)
    picks = [int(main[i]) for i in (0, len(main) // 3, 2 * len(main) // 3, len(main) - 1)]
    lonlat = [(float(graph.nodes["lon"][i]), float(graph.nodes["lat"][i])) for i in picks]
    place = make_place(
        name="공덕 화장실",
        category="toilet",
        geom=Point(*lonlat[1], srid=4326),
        toilet_accessible=True,
    )
    make_parking(geom=Point(*lonlat[2], srid=4326))
    make_place(
        name="충전기",
        category="wheelchair_charger",
        geom=Point(lonlat[3][0] + 0.0001, lonlat[3][1], srid=4326),
    )
    stops = [
        {"lon": lonlat[0][0], "lat": lonlat[0][1]},
        {"place": place.pk},
        {"lon": lonlat[3][0], "lat": lonlat[3][1]},
        {"lon": lonlat[2][0], "lat": lonlat[2][1]},
    ]
    given = anon.post(
        "/api/routing/trips/",
        {"stops": stops, "graph": "mapo", "profile": "walker_cane"},
        format="json",
    )
    best = anon.post(
        "/api/routing/trips/",
        {"stops": stops, "graph": "mapo", "profile": "walker_cane", "optimize": True},
        format="json",
    )
    assert given.status_code == 200, given.json()
    assert best.status_code == 200, best.json()
    assert best.json()["properties"]["order"][0] == 0
    assert (
        best.json()["properties"]["duration_s"] <= given.json()["properties"]["duration_s"] + 1e-6
    )
    legs = [f for f in best.json()["features"] if f["properties"]["role"] == "leg"]
    assert len(legs) == 3
    amenities = {
        f["properties"]["amenity"]
        for f in best.json()["features"]
        if f["properties"]["role"] == "amenity"
    }
    assert amenities == {"accessible_toilet", "disabled_parking", "wheelchair_charger"}


def test_trip_bad_input(routing_graphs, anon) -> None:
    many = [{"lon": 126.95 + i * 1e-4, "lat": 37.548} for i in range(13)]
    r = anon.post("/api/routing/trips/", {"stops": many, "graph": "mapo"}, format="json")
    assert r.status_code == 400 and r.json()["code"] == "too_many_stops"
    r = anon.post(
        "/api/routing/trips/",
        {"stops": [{"place": 999999}, {"lon": 126.95, "lat": 37.548}], "graph": "mapo"},
        format="json",
    )
    assert r.status_code == 400 and "stops[0]" in r.json()["errors"]
    r = anon.post(
        "/api/routing/trips/",
        {"stops": [{"lon": 126.95, "lat": 37.548}], "graph": "mapo"},
        format="json",
    )
    assert r.status_code == 400


def test_reachability_area_grows_with_time_and_shrinks_with_limits(routing_graphs, anon) -> None:
    graph = get_graph("helsinki")
    origin = _node(graph, int(np.flatnonzero(graph.nodes["component"] == 0)[50]))
    walker = anon.get(
        "/api/routing/isochrone/",
        {"origin": origin, "minutes": "5,15", "graph": "helsinki", "profile": "walker_cane"},
    )
    chair = anon.get(
        "/api/routing/isochrone/",
        {
            "origin": origin,
            "minutes": "5,15",
            "graph": "helsinki",
            "profile": "manual_wheelchair",
            "unknown_policy": "kerb:strict",
        },
    )
    assert walker.status_code == 200, walker.json()
    assert chair.status_code == 200, chair.json()
    area = {
        f["properties"]["minutes"]: f["properties"]["area_m2"] for f in walker.json()["features"]
    }
    assert area[15] > area[5] > 0
    assert walker.json()["features"][0]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    strict = {
        f["properties"]["minutes"]: f["properties"]["area_m2"] for f in chair.json()["features"]
    }
    assert strict.get(15, 0) <= area[15]
    bad = anon.get(
        "/api/routing/isochrone/", {"origin": origin, "minutes": "500", "graph": "helsinki"}
    )
    assert bad.status_code == 400 and "minutes" in bad.json()["errors"]


def test_profile_catalogue_and_schema(anon) -> None:
    catalogue = anon.get("/api/routing/profiles/").json()
    assert set(catalogue["presets"]) == {
        "manual_wheelchair",
        "powered_wheelchair",
        "mobility_scooter",
        "walker_cane",
        "stroller",
    }
    assert catalogue["numeric"]["max_kerb_height_cm"]["unit"] == "cm"
    paths = anon.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    for path in (
        "/api/routing/route/",
        "/api/routing/trips/",
        "/api/routing/isochrone/",
        "/api/routing/profiles/",
    ):
        assert path in paths
