"""Violation map layers: public hexagon counts, and hexagons and reports for officials.

The hexagons are the hotspot aggregation of :mod:`violations.hotspots.aggregate` (its public
form for everyone: capped resolution, small counts hidden, counts only), cut to tiles: each tile
aggregates the reports within a margin of a few cells, so every hexagon it draws has its full
count. No layer carries a plate, a contact, a description or a photo, not even for officials
(tiles may be kept in caches); officials open a report for those.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, ClassVar

import h3.api.basic_int as h3i
import pandas as pd
from django.conf import settings
from django.db.models import F, Func, QuerySet, TextField, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from tiles.layer import ComputedLayer, LayerParams, MapLayer, refuse_unknown
from tiles.registry import register
from violations.hotspots import aggregate, analysis, filters
from violations.hotspots.filters import HotspotFilter
from violations.models import ViolationReport

PUBLIC_FILTERS = ("start", "end", "hours", "weekdays", "type", "source", "district")
OFFICIAL_FILTERS = (*PUBLIC_FILTERS, "status")
# Reports this many cell edges beyond a tile still count: a hexagon touching the tile is whole.
MARGIN_EDGES = 3
M_PER_DEG_LAT = 111_320.0
ALL_TIME_START, ALL_TIME_END = "2000-01-01", "2999-12-31"
HEX_COLORS = [
    "interpolate",
    ["linear"],
    ["get", "cases"],
    3,
    "#fdbb84",
    20,
    "#ef6548",
    100,
    "#7f0000",
]


def _filter_params(
    query: Mapping[str, str], allowed: tuple[str, ...], *, public: bool
) -> LayerParams:
    """The hotspot API's filters, validated by the violations app (400 naming the bad one)."""
    refuse_unknown(query, allowed)
    filters.from_params(query, public=public)
    return dict(sorted((k, v) for k, v in query.items() if v))


Bbox = tuple[float, float, float, float]


def widened(bbox: Bbox, resolution: int) -> Bbox:
    """``bbox`` grown by a few cell edges, so that every cell touching it is counted whole."""
    margin_m = MARGIN_EDGES * h3i.average_hexagon_edge_length(resolution, "m")
    dlat = margin_m / M_PER_DEG_LAT
    lat = max(abs(bbox[1]), abs(bbox[3]))
    dlon = margin_m / (M_PER_DEG_LAT * max(math.cos(math.radians(min(lat, 89.0))), 0.01))
    return (bbox[0] - dlon, max(bbox[1] - dlat, -90.0), bbox[2] + dlon, min(bbox[3] + dlat, 90.0))


def hexagon_rows(table: pd.DataFrame, columns: tuple[str, ...]) -> list[dict[str, Any]]:
    return [
        {
            "id": int(cell),
            "cell": analysis.cell_id(int(cell)),
            **{c: int(row[c]) for c in columns},
            "geometry": {"type": "Polygon", "coordinates": [analysis.cell_polygon(int(cell))]},
        }
        for cell, row in table.iterrows()
    ]


class _Hexagons(ComputedLayer):
    geometry = "polygon"
    shown_by_default = False  # another subject than the accessibility map: offered as a toggle
    depends_on = (ViolationReport,)
    minzoom = 8
    maxzoom = 17
    color = "#ef6548"
    simplify = False

    def _filter(self, params: LayerParams, bbox: Bbox, public: bool) -> HotspotFilter:
        return replace(filters.from_params(params, public=public), bbox=bbox)

    def clock_token(self) -> str:
        # Without start/end the period is the year up to now: it moves by the day.
        return timezone.localdate().isoformat()

    def style_layers(self, source: str) -> list[dict[str, Any]]:
        base = {"source": source, "source-layer": self.name}
        return [
            {
                **base,
                "id": self.name,
                "type": "fill",
                "paint": {
                    "fill-color": HEX_COLORS,
                    "fill-opacity": 0.6,
                    "fill-outline-color": "#666",
                },
            }
        ]


@register
class ViolationHexagons(_Hexagons):
    """Public: disabled-parking violations per H3 hexagon, by the hotspot API's public rules."""

    name = "violation-hexagons"
    title = _("Disabled-parking violations (hexagons)")
    description = _(
        "Violations per hexagon over the last year; cells with few cases are not shown."
    )
    attributes: ClassVar[dict[str, str]] = {
        "id": "H3 cell as an integer",
        "cell": "H3 cell",
        "cases": "Cases in the period (cells with fewer are hidden)",
    }
    attribute_types: ClassVar[dict[str, str]] = {"id": "bigint", "cell": "text", "cases": "integer"}

    def parse_params(self, query: Mapping[str, str]) -> LayerParams:
        return _filter_params(query, PUBLIC_FILTERS, public=True)

    def rows(
        self, params: LayerParams, bbox: tuple[float, float, float, float], zoom: int
    ) -> list[dict[str, Any]]:
        resolution = min(analysis.resolution_for_zoom(zoom), settings.VIOLATIONS_PUBLIC_MAX_H3_RES)
        hex_filter = self._filter(params, widened(bbox, resolution), public=True)
        table, _resolution = aggregate.public_hex_table(hex_filter, resolution)
        return hexagon_rows(table, ("cases",))


@register
class OfficialViolationHexagons(_Hexagons):
    """Officials: every counted cell at the zoom's resolution, with reports and cases at bays."""

    name = "violation-hexagons-official"
    title = _("Violations per hexagon (officials)")
    description = _("All cases per hexagon with the dashboard's filters (officials only).")
    required_role = Role.OFFICIAL
    attributes: ClassVar[dict[str, str]] = {
        "id": "H3 cell as an integer",
        "cell": "H3 cell",
        "cases": "Cases",
        "reports": "Reports (an enforcement row may count several cases)",
        "bay_cases": "Cases linked to a disabled-only bay",
    }
    attribute_types: ClassVar[dict[str, str]] = {
        "id": "bigint",
        "cell": "text",
        "cases": "integer",
        "reports": "integer",
        "bay_cases": "integer",
    }

    def parse_params(self, query: Mapping[str, str]) -> LayerParams:
        return _filter_params(query, OFFICIAL_FILTERS, public=False)

    def rows(
        self, params: LayerParams, bbox: tuple[float, float, float, float], zoom: int
    ) -> list[dict[str, Any]]:
        resolution = analysis.resolution_for_zoom(zoom)
        hex_filter = self._filter(params, widened(bbox, resolution), public=False)
        table = aggregate.hex_table(hex_filter, resolution)
        return hexagon_rows(table, ("cases", "reports", "bay_cases"))


@register
class ViolationPoints(MapLayer):
    """Officials: each report where it was seen, with its type, status and source."""

    name = "violations"
    title = _("Violation reports (officials)")
    description = _("Reports, sensor events and enforcement records as points (officials only).")
    geometry = "point"
    depends_on = (ViolationReport,)
    required_role = Role.OFFICIAL
    minzoom = 12
    thin_points_below_zoom = 15
    color = "#a40e26"
    shown_by_default = False
    attributes: ClassVar[dict[str, str]] = {
        "id": "Report id (/api/violations/reports/{id}/)",
        "violation_type": "illegal_parking, obstruction, permit_misuse",
        "status": "Workflow status",
        "source": "citizen, sensor, enforcement",
        "case_count": "Cases (enforcement rows may count several)",
        "seen_at": "When it was seen (local time, YYYY-MM-DDTHH:MM)",
        "spot_id": "Disabled parking spot it was linked to",
        "district": "District (동)",
    }

    def parse_params(self, query: Mapping[str, str]) -> LayerParams:
        return _filter_params(query, OFFICIAL_FILTERS, public=False)

    def features(self, params: LayerParams) -> QuerySet:
        seen_at = Func(
            F("occurred_at"),
            Value(settings.TIME_ZONE),
            template="to_char(%(expressions)s, 'YYYY-MM-DD\"T\"HH24:MI')",
            arg_joiner=" AT TIME ZONE ",
            output_field=TextField(),
        )
        # The compiled tile query is reused: no default period computed from the clock here
        # (the API's "the last year up to now"); without start and end, every report counts.
        period = {"start": ALL_TIME_START, "end": ALL_TIME_END} | params
        return filters.from_params(period).queryset().annotate(seen_at=seen_at)

    def clock_token(self) -> str:
        return timezone.localdate().isoformat()
