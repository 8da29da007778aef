"""Trip-planning API: routes, multi-stop trips, reachability areas and the profile catalogue.

Views only parse and validate input; :mod:`routing.engine` does the work and raises the
routing errors (:mod:`routing.errors`), which :mod:`modugil.errors` maps to HTTP status.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from modugil.errors import InvalidInput
from routing.engine.isochrone import isochrone
from routing.engine.service import RouteRequest, route
from routing.engine.trips import NEARBY_M, trip
from routing.profiles import Profile, build_profile, describe_parameters

RESERVED = {
    "origin",
    "destination",
    "profile",
    "graph",
    "alternatives",
    "at",
    "max_snap_m",
    "minutes",
    "lang",
    "format",
}
MAX_ALTERNATIVES = 3


def parse_lonlat(text: Any, field: str) -> tuple[float, float]:
    """``lon,lat`` (or a [lon, lat] list) in range; raises InvalidInput naming ``field``."""
    try:
        parts = text.split(",") if isinstance(text, str) else list(text)
        lon, lat = (float(p) for p in parts)
    except (TypeError, ValueError) as e:
        msg = "Expected lon,lat."
        raise InvalidInput(f"{field}: {msg}", fields={field: [msg]}) from e
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        swapped = -90 <= lon <= 90 and -180 <= lat <= 180
        msg = "Longitude first: lon,lat." if swapped else "Coordinates out of range."
        raise InvalidInput(f"{field}: {msg}", fields={field: [msg]})
    if lon == 0 and lat == 0:
        msg = "0,0 is a missing location, not a place."
        raise InvalidInput(f"{field}: {msg}", fields={field: [msg]})
    return lon, lat


def _policy(value: str) -> Any:
    """``strict`` or ``kerb:strict,width:penalize`` from a query string."""
    if ":" not in value:
        return value
    out = {}
    for part in value.split(","):
        name, _sep, policy = part.partition(":")
        out[name.strip()] = policy.strip()
    return out


def profile_from_query(query: Any) -> Profile:
    overrides = {k: v for k, v in query.items() if k not in RESERVED}
    if "unknown_policy" in overrides:
        overrides["unknown_policy"] = _policy(overrides["unknown_policy"])
    return build_profile(query.get("profile", "manual_wheelchair"), overrides)


def _int(query: Any, name: str, default: int, low: int, high: int) -> int:
    raw = query.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError) as e:
        raise InvalidInput(
            f"{name} must be an integer.", fields={name: ["Must be an integer."]}
        ) from e
    if not low <= value <= high:
        msg = f"Must be between {low} and {high}."
        raise InvalidInput(f"{name}: {msg}", fields={name: [msg]})
    return value


def _float(query: Any, name: str, low: float, high: float) -> float | None:
    raw = query.get(name)
    if raw in (None, ""):
        return None
    try:
        value = float(raw)
    except (TypeError, ValueError) as e:
        raise InvalidInput(f"{name} must be a number.", fields={name: ["Must be a number."]}) from e
    if not low <= value <= high:
        msg = f"Must be between {low:g} and {high:g}."
        raise InvalidInput(f"{name}: {msg}", fields={name: [msg]})
    return value


def _at(query: Any) -> float | None:
    raw = query.get("at")
    if not raw:
        return None
    try:
        return datetime.fromisoformat(raw).timestamp()
    except ValueError as e:
        msg = "Expected an ISO 8601 date and time."
        raise InvalidInput(f"at: {msg}", fields={"at": [msg]}) from e


PROFILE_PARAMETERS = [
    OpenApiParameter(
        "profile",
        str,
        description="Preset: manual_wheelchair, powered_wheelchair, mobility_scooter, walker_cane, stroller, custom",
    ),
    OpenApiParameter(
        "graph", str, description="Area name; default: the built area containing the origin"
    ),
    OpenApiParameter("max_uphill_pct", float),
    OpenApiParameter("max_downhill_pct", float),
    OpenApiParameter("max_kerb_height_cm", float),
    OpenApiParameter("min_width_m", float),
    OpenApiParameter("max_steps", int),
    OpenApiParameter("worst_surface", str),
    OpenApiParameter("worst_smoothness", str),
    OpenApiParameter("allow_elevators", bool),
    OpenApiParameter("allow_escalators", bool),
    OpenApiParameter("avoid_wheelchair_no", bool),
    OpenApiParameter(
        "unknown_policy",
        str,
        description=(
            "permissive | penalize | strict, or attribute:policy,... "
            "(incline, kerb, width, surface, smoothness, steps)"
        ),
    ),
    OpenApiParameter("unknown_penalty_s", float),
    OpenApiParameter("street_avoidance", float),
    OpenApiParameter("min_confidence", float),
    OpenApiParameter("speed_mps", float),
]


class RouteView(APIView):
    """A barrier-free route for a profile, with warnings, what it avoided and alternatives."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("origin", str, required=True, description="lon,lat (WGS84)"),
            OpenApiParameter("destination", str, required=True, description="lon,lat (WGS84)"),
            OpenApiParameter("alternatives", int, description="0..3 (default 2)"),
            OpenApiParameter(
                "at", str, description="ISO time for temporary obstacles (default now)"
            ),
            OpenApiParameter(
                "max_snap_m", float, description="snap limit in metres (at most the server's)"
            ),
            *PROFILE_PARAMETERS,
        ],
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 422: OpenApiTypes.OBJECT},
        description=(
            "GeoJSON FeatureCollection: the route (role=route) with length, duration, ascent, "
            "descent, warnings and `avoided` compared with the plain walking route; one feature per "
            "segment (role=segment) with incline, surface, width, kerbs, source and age; up to 3 "
            "alternatives; the snapped origin and destination with their snap distances. 422 "
            "`point_not_on_network` when a point is farther than the snap limit from a usable path; "
            "422 `no_route` with `cut_off_by`, `relaxations` and `nearest_reachable`."
        ),
    )
    def get(self, request: Request) -> Response:
        q = request.query_params
        request_ = RouteRequest(
            origin=parse_lonlat(q.get("origin"), "origin"),
            destination=parse_lonlat(q.get("destination"), "destination"),
            profile=profile_from_query(q),
            graph=q.get("graph") or None,
            alternatives=_int(q, "alternatives", 2, 0, MAX_ALTERNATIVES),
            max_snap_m=_float(q, "max_snap_m", 1, settings.ROUTING_MAX_SNAP_M),
        )
        at = _at(q)
        if at is not None:
            request_.at_s = at
        return Response(route(request_))


class StopSerializer(serializers.Serializer):
    place = serializers.IntegerField(required=False, help_text="mapping Place id")
    lon = serializers.FloatField(required=False)
    lat = serializers.FloatField(required=False)
    name = serializers.CharField(required=False)


class TripSerializer(serializers.Serializer):
    stops = StopSerializer(many=True, help_text="2..12 places or points")
    profile = serializers.CharField(default="manual_wheelchair")
    params = serializers.DictField(default=dict, help_text="profile parameter overrides")
    optimize = serializers.BooleanField(
        default=False, help_text="find the best order (first stop fixed)"
    )
    round_trip = serializers.BooleanField(default=False)
    nearby_m = serializers.FloatField(default=NEARBY_M, min_value=0, max_value=1000)
    graph = serializers.CharField(required=False, allow_blank=True)


class TripView(APIView):
    """A multi-stop trip over places or points, with amenities near the way."""

    permission_classes = [AllowAny]

    @extend_schema(
        request=TripSerializer,
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 422: OpenApiTypes.OBJECT},
        examples=[
            OpenApiExample(
                "Yeouido",
                value={"stops": [{"lon": 126.924, "lat": 37.526}, {"place": 1}], "optimize": True},
            )
        ],
        description=(
            "Legs (role=leg) in the given or optimised order, stops (role=stop) and the "
            "accessible toilets, disabled parking and wheelchair chargers near the way "
            "(role=amenity)."
        ),
    )
    def post(self, request: Request) -> Response:
        raw = request.data if isinstance(request.data, dict) else {}
        stops = raw.get("stops")
        if isinstance(stops, list) and len(stops) > settings.ROUTING_MAX_STOPS:
            from routing.errors import TooManyStops

            msg = f"At most {settings.ROUTING_MAX_STOPS} stops per trip."
            raise TooManyStops(msg, fields={"stops": [msg]})
        data = TripSerializer(data=raw)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        profile = build_profile(values["profile"], values["params"])
        return Response(
            trip(
                raw["stops"],
                profile,
                graph_name=values.get("graph") or None,
                optimize=values["optimize"],
                round_trip=values["round_trip"],
                nearby_m=values["nearby_m"],
            )
        )


class IsochroneView(APIView):
    """Where a profile can get within the given minutes, as polygons."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("origin", str, required=True, description="lon,lat"),
            OpenApiParameter(
                "minutes", str, description="comma-separated bands, at most 60 (default 5,10,15)"
            ),
            *PROFILE_PARAMETERS,
        ],
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 422: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        q = request.query_params
        try:
            minutes = [float(m) for m in q.get("minutes", "5,10,15").split(",")]
        except ValueError as e:
            raise InvalidInput(
                "minutes: numbers expected.", fields={"minutes": ["Numbers expected."]}
            ) from e
        if not minutes or len(minutes) > 6 or not all(0 < m <= 60 for m in minutes):
            msg = "One to six bands between 0 and 60 minutes."
            raise InvalidInput(f"minutes: {msg}", fields={"minutes": [msg]})
        return Response(
            isochrone(
                parse_lonlat(q.get("origin"), "origin"),
                minutes,
                profile_from_query(q),
                graph_name=q.get("graph") or None,
            )
        )


class ProfileCatalogueView(APIView):
    """Presets and parameter ranges (units, Korean and English help) for sliders."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        return Response(describe_parameters())
