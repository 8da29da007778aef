"""Hotspot layers: hexagons (public aggregate or full for officials), Gi*, density, ranking, exports."""

from __future__ import annotations

from typing import Any

from django.db.models import Sum
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import Role
from accounts.permissions import OfficialOnly, has_role
from modugil.errors import InvalidInput
from violations import exports
from violations.hotspots import aggregate, analysis, filters
from violations.models import ViolationReport

FILTER_PARAMS = [
    OpenApiParameter(name, OpenApiTypes.STR, description=text)
    for name, text in (
        ("start", "Period start, YYYY-MM-DD (default: a year before end)."),
        ("end", "Period end, inclusive (default: now)."),
        ("hours", "Local hours, e.g. 7-9,18-22 (only records with an exact time)."),
        ("weekdays", "mon..sun or 1..7, comma-separated."),
        ("type", "illegal_parking, obstruction, permit_misuse (comma-separated)."),
        ("status", "Statuses (officials); default: all but dismissed and duplicate."),
        ("source", "citizen, sensor, enforcement."),
        ("district", "Districts (동), comma-separated."),
        ("bbox", "lon_min,lat_min,lon_max,lat_max."),
        ("zoom", "Map zoom: picks the H3 resolution."),
        ("resolution", "H3 resolution 4..12 (overrides zoom)."),
    )
]


def _resolution(params: Any, default: int = 9) -> int:
    text = params.get("resolution")
    if text:
        if not text.isdigit() or not 4 <= int(text) <= 12:
            raise InvalidInput("resolution is 4..12.", fields={"resolution": [text]})
        return int(text)
    zoom = params.get("zoom")
    if zoom:
        try:
            return analysis.resolution_for_zoom(float(zoom))
        except ValueError as e:
            raise InvalidInput("zoom must be a number.", fields={"zoom": [zoom]}) from e
    return default


def _int(params: Any, name: str, default: int, low: int, high: int) -> int:
    text = params.get(name)
    if not text:
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        raise InvalidInput(f"{name} is {low}..{high}.", fields={name: [text]})
    return int(text)


@extend_schema(parameters=FILTER_PARAMS, responses=OpenApiTypes.OBJECT)
@api_view(["GET"])
@permission_classes([AllowAny])
def hexagons(request: Request) -> Response:
    """Violation counts per H3 hexagon. Anonymous and non-official callers get the public
    aggregate (coarse cells, small counts suppressed, counts only); officials get bays too."""
    public = not has_role(request.user, Role.OFFICIAL)
    params = request.query_params
    hex_filter = filters.from_params(params, public=public)
    return Response(aggregate.hex_layer(hex_filter, _resolution(params), public=public))


@extend_schema(parameters=FILTER_PARAMS, responses=OpenApiTypes.OBJECT)
@api_view(["GET"])
@permission_classes([OfficialOnly])
def gistar(request: Request) -> Response:
    """Getis-Ord Gi* per hexagon (z, p, hot/cold at 90/95/99 %); ``permutations`` adds p_sim."""
    params = request.query_params
    permutations = _int(params, "permutations", 0, 0, 999)
    layer = aggregate.hex_layer(
        filters.from_params(params),
        _resolution(params, 8),
        with_gistar=True,
        permutations=permutations,
    )
    return Response(layer)


@extend_schema(parameters=FILTER_PARAMS, responses=OpenApiTypes.OBJECT)
@api_view(["GET"])
@permission_classes([OfficialOnly])
def density(request: Request) -> Response:
    """Kernel density (Gaussian, ``bandwidth_m``) at grid points, in cases per km²."""
    params = request.query_params
    bandwidth = _int(params, "bandwidth_m", 250, 25, 5000)
    return Response(
        aggregate.density_layer(filters.from_params(params), float(bandwidth), _resolution(params))
    )


@extend_schema(parameters=FILTER_PARAMS, responses=OpenApiTypes.OBJECT)
@api_view(["GET"])
@permission_classes([OfficialOnly])
def ranking(request: Request) -> Response:
    """Top hotspots with the previous period of equal length and the trend."""
    params = request.query_params
    hex_filter = filters.from_params(params)
    top = _int(params, "top", 10, 1, 100)
    previous = hex_filter.previous()
    return Response(
        {
            "period": {"start": hex_filter.start, "end": hex_filter.end},
            "previous_period": {"start": previous.start, "end": previous.end},
            "results": aggregate.ranking(hex_filter, _resolution(params, 9), top),
            "bays": aggregate.bay_rates(hex_filter, top),
        }
    )


@extend_schema(responses=OpenApiTypes.OBJECT)
@api_view(["GET"])
@permission_classes([OfficialOnly])
def districts(request: Request) -> Response:
    """Districts (동) with their number of cases, for the dashboard's filter."""
    rows = (
        ViolationReport.objects.exclude(district="")
        .values("district")
        .annotate(cases=Sum("case_count"))
        .order_by("district")
    )
    return Response(list(rows))


@extend_schema(parameters=FILTER_PARAMS, responses={(200, "text/csv"): bytes})
@api_view(["GET"])
@permission_classes([OfficialOnly])
def export_csv(request: Request) -> HttpResponse:
    """Hexagons with counts, bays and Gi* as CSV."""
    params = request.query_params
    text = exports.to_csv(filters.from_params(params), _resolution(params, 8))
    return _download(text.encode("utf-8-sig"), "text/csv; charset=utf-8", "hotspots.csv")


@extend_schema(parameters=FILTER_PARAMS, responses={(200, "application/geopackage+sqlite3"): bytes})
@api_view(["GET"])
@permission_classes([OfficialOnly])
def export_gpkg(request: Request) -> HttpResponse:
    """Hexagons (layer ``hotspots``) and the ranking (layer ``ranking``) as a GeoPackage."""
    params = request.query_params
    data = exports.to_geopackage(filters.from_params(params), _resolution(params, 8))
    return _download(data, "application/geopackage+sqlite3", "hotspots.gpkg")


@extend_schema(parameters=FILTER_PARAMS, responses={(200, "text/html"): bytes})
@api_view(["GET"])
@permission_classes([OfficialOnly])
def export_report(request: Request) -> HttpResponse:
    """A self-contained HTML map (folium, Leaflet inlined) to share: aggregates only."""
    params = request.query_params
    title = (params.get("title") or "장애인전용주차구역 위반 핫스팟")[:120]
    page = exports.html_report(filters.from_params(params), _resolution(params, 9), title)
    return _download(page.encode(), "text/html; charset=utf-8", "hotspots-report.html")


def _download(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
