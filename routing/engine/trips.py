"""Multi-stop trips (barrier-free tourism): legs between chosen places, in order or optimised,
with the accessible toilets, disabled parking and wheelchair chargers near the way."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import LineString, MultiLineString
from django.contrib.gis.measure import D
from django.utils.translation import gettext as _
from numba import njit

from mapping.models import DisabledParkingSpot, Place, PlaceCategory
from modugil.errors import InvalidInput
from routing.engine.explain import explain_no_route
from routing.engine.planner import (
    Endpoint,
    destination_endpoint,
    origin_endpoint,
    search,
    snap_point,
)
from routing.engine.prepared import prepared
from routing.engine.service import Planned, graph_for, path_feature
from routing.errors import NoRoute, TooManyStops
from routing.profiles import Profile

NEARBY_M = 150.0
M_PER_DEG = 111_000.0


@dataclass
class Stop:
    lon: float
    lat: float
    name: str
    place_id: int | None = None


def resolve_stops(raw: list[dict[str, Any]]) -> list[Stop]:
    """Stops from ``{"place": id}`` or ``{"lon", "lat"}``; names the bad item by index."""
    if not isinstance(raw, list) or len(raw) < 2:
        msg = _("Give at least two stops.")
        raise InvalidInput(msg, fields={"stops": [msg]})
    limit = settings.ROUTING_MAX_STOPS
    if len(raw) > limit:
        msg = _("At most %(n)d stops per trip.") % {"n": limit}
        raise TooManyStops(msg, fields={"stops": [msg]})
    ids = [
        item.get("place")
        for item in raw
        if isinstance(item, dict) and item.get("place") is not None
    ]
    places = {p.pk: p for p in Place.objects.filter(pk__in=[i for i in ids if isinstance(i, int)])}
    stops = []
    for i, item in enumerate(raw):
        if isinstance(item, dict) and item.get("place") is not None:
            place = places.get(item["place"]) if isinstance(item["place"], int) else None
            if place is None:
                msg = _("Unknown place %(id)s.") % {"id": item["place"]}
                raise InvalidInput(msg, fields={f"stops[{i}]": [msg]})
            stops.append(Stop(place.geom.x, place.geom.y, place.name, place.pk))
            continue
        try:
            lon, lat = float(item["lon"]), float(item["lat"])
        except (TypeError, KeyError, ValueError) as e:
            msg = _('A stop is {"place": id} or {"lon": .., "lat": ..}.')
            raise InvalidInput(msg, fields={f"stops[{i}]": [msg]}) from e
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            msg = _("Longitude or latitude out of range.")
            raise InvalidInput(msg, fields={f"stops[{i}]": [msg]})
        stops.append(Stop(lon, lat, str(item.get("name") or f"#{i + 1}")))
    return stops


@njit(cache=True)
def held_karp(cost, round_trip):  # type: ignore[no-untyped-def]
    """Cheapest order visiting all stops from stop 0 (exact DP, O(2^n n^2)); open path unless
    ``round_trip``. Returns the order (inf costs allowed: an unreachable pair is never used)."""
    n = cost.shape[0]
    full = 1 << (n - 1)
    dp = np.full((full, n), np.inf)
    parent = np.full((full, n), -1, dtype=np.int64)
    for j in range(1, n):
        dp[1 << (j - 1), j] = cost[0, j]
    for mask in range(1, full):
        for j in range(1, n):
            if not mask & (1 << (j - 1)) or not np.isfinite(dp[mask, j]):
                continue
            for k in range(1, n):
                bit = 1 << (k - 1)
                if mask & bit:
                    continue
                value = dp[mask, j] + cost[j, k]
                if value < dp[mask | bit, k]:
                    dp[mask | bit, k] = value
                    parent[mask | bit, k] = j
    best, last = np.inf, -1
    for j in range(1, n):
        value = dp[full - 1, j] + (cost[j, 0] if round_trip else 0.0)
        if value < best:
            best, last = value, j
    order = np.zeros(n, dtype=np.int64)
    if last < 0:
        return order, best
    mask = full - 1
    for i in range(n - 1, 0, -1):
        order[i] = last
        previous = parent[mask, last]
        mask ^= 1 << (last - 1)
        last = previous
    return order, best


def amenities_near(lines: list[list[list[float]]], distance_m: float) -> list[dict[str, Any]]:
    """Accessible toilets, disabled parking and wheelchair chargers within ``distance_m``."""
    geom = MultiLineString(
        [LineString(line, srid=4326) for line in lines if len(line) >= 2], srid=4326
    )
    lat = geom.centroid.y
    degrees = distance_m / (M_PER_DEG * max(math.cos(math.radians(lat)), 0.2))
    found = []
    queries = (
        ("accessible_toilet", Place.objects.filter(toilet_accessible=True)),
        ("wheelchair_charger", Place.objects.filter(category=PlaceCategory.WHEELCHAIR_CHARGER)),
        ("disabled_parking", DisabledParkingSpot.objects.all()),
    )
    for kind, queryset in queries:
        rows = (
            queryset.filter(geom__dwithin=(geom, degrees))
            .annotate(distance=Distance("geom", geom))
            .filter(distance__lte=D(m=distance_m))
            .order_by("distance")[:50]
        )
        for row in rows:
            point = row.geom.centroid if row.geom.geom_type != "Point" else row.geom
            name = getattr(row, "name", "") or getattr(row, "lot_name", "")
            props: dict[str, Any] = {
                "role": "amenity",
                "amenity": kind,
                "id": row.pk,
                "name": name,
                "distance_m": round(row.distance.m, 1),
            }
            if kind == "disabled_parking":
                props["disabled_spaces"] = row.disabled_spaces
            found.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [point.x, point.y]},
                    "properties": props,
                }
            )
    return found


def trip(
    stops_raw: list[dict[str, Any]],
    profile: Profile,
    *,
    graph_name: str | None = None,
    optimize: bool = False,
    round_trip: bool = False,
    nearby_m: float = NEARBY_M,
) -> dict[str, Any]:
    """Legs over the stops (optimised order when asked), amenities near the way, as GeoJSON."""
    started = time.perf_counter()
    stops = resolve_stops(stops_raw)
    name, graph = graph_for(graph_name, (stops[0].lon, stops[0].lat))
    pg = prepared(graph)
    now = time.time()
    metric = pg.metric(profile, now)
    snaps = [snap_point(pg, metric, s.lon, s.lat, role=f"stops[{i}]") for i, s in enumerate(stops)]
    starts = [
        origin_endpoint(pg, metric, snap, s.lon, s.lat)
        for snap, s in zip(snaps, stops, strict=True)
    ]
    ends = [
        destination_endpoint(pg, metric, snap, s.lon, s.lat)
        for snap, s in zip(snaps, stops, strict=True)
    ]
    order = list(range(len(stops)))
    if optimize and len(stops) > 2:
        order = _optimised_order(pg, metric, starts, ends, round_trip)
    legs = list(zip(order, order[1:] + ([order[0]] if round_trip else []), strict=False))
    features: list[dict[str, Any]] = []
    lines = []
    total_s = total_m = 0.0
    for index, (a, b) in enumerate(legs):
        path = search(pg, metric, starts[a], ends[b])
        if path is None:
            body = explain_no_route(pg, metric, starts[a], ends[b])
            detail = _("No route from stop %(a)s to stop %(b)s: %(why)s") % {
                "a": stops[a].name,
                "b": stops[b].name,
                "why": body.pop("detail"),
            }
            raise NoRoute(detail, leg=index, **body)
        feature, _segments = path_feature(
            Planned(pg, metric, starts[a], ends[b], path), path, 0, now
        )
        feature["properties"].update(
            {"role": "leg", "leg": index, "from": stops[a].name, "to": stops[b].name}
        )
        total_s += feature["properties"]["duration_s"]
        total_m += feature["properties"]["length_m"]
        lines.append(feature["geometry"]["coordinates"])
        features.append(feature)
    for position, i in enumerate(order):
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [stops[i].lon, stops[i].lat]},
                "properties": {
                    "role": "stop",
                    "order": position,
                    "input_index": i,
                    "name": stops[i].name,
                    "place": stops[i].place_id,
                    "snap_distance_m": round(snaps[i].distance_m, 1),
                },
            }
        )
    features.extend(amenities_near(lines, nearby_m))
    return {
        "type": "FeatureCollection",
        "features": features,
        "properties": {
            "graph": name,
            "order": order,
            "optimized": optimize,
            "round_trip": round_trip,
            "length_m": round(total_m, 1),
            "duration_s": round(total_s, 1),
            "profile": profile.as_dict(),
            "computed_ms": round((time.perf_counter() - started) * 1000, 1),
            "attribution": settings.OSM_ATTRIBUTION,
        },
    }


def _optimised_order(
    pg: Any, metric: Any, starts: list[Endpoint], ends: list[Endpoint], round_trip: bool
) -> list[int]:
    n = len(starts)
    cost = np.full((n, n), np.inf)
    for a in range(n):
        cost[a, a] = 0.0
        for b in range(n):
            if a != b:
                path = search(pg, metric, starts[a], ends[b])
                if path is not None:
                    cost[a, b] = path.cost_s
    order, best = held_karp(cost, round_trip)
    if not math.isfinite(best):
        return list(range(n))  # the legs will say which stop cannot be reached
    return [int(i) for i in order]
