"""Where the network's data has gaps: the segments volunteers and officials should look at.

The per-segment counterpart of the graph's QA report (:mod:`routing.graph.quality`), with the
routing engine's notion of unknown: a segment without an incline tag or a confident grade, width,
surface or kerb height; a crossing with no kerb mapped at either end; steps without a step count;
a road where nobody mapped whether there is a sidewalk; map data not edited for years; crowd
reports that are old or due for a re-survey. Only segments with at least one gap are drawn.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mapping.models import AccessibilityFeature
from routing.graph.contract import ROAD_KINDS
from routing.layers import network_sql as sql
from routing.layers.network import active_edges
from routing.models import GraphBuild, GraphEdge
from tiles.layer import LayerParams, MapLayer

RIDES = ("elevator", "escalator")  # virtual ride edges: nothing to survey on them


def gap_conditions() -> dict[str, Any]:
    """Each gap's SQL condition over a ``routing_graphedge`` row, in the order of the bits."""
    resurvey_due = AccessibilityFeature.all_objects.filter(
        pk=OuterRef("overlay_feature_id"), resurvey_due_at__lte=Now(), deleted_at__isnull=True
    )
    walkable = ~Q(kind__in=RIDES)
    return {
        "unknown_incline": walkable
        & ~Q(kind="steps")
        & (sql.unknown_conditions(sql.FWD)["incline"] | sql.unknown_conditions(sql.BWD)["incline"]),
        "unknown_width": walkable & Q(width_m__isnull=True),
        "unknown_surface": walkable & ~Q(kind="steps") & Q(surface=""),
        "unknown_kerb_height": Q(kerb_u="yes", kerb_u_cm__isnull=True)
        | Q(kerb_v="yes", kerb_v_cm__isnull=True),
        "crossing_without_kerb": Q(kind="crossing", kerb_u="", kerb_v=""),
        "unknown_step_count": Q(kind="steps", step_count__isnull=True),
        "unknown_sidewalk": Q(kind__in=ROAD_KINDS, no_sidewalk__isnull=True),
        "stale_map": Q(
            osm_timestamp__lt=Now() - timedelta(days=settings.ROUTING_STALE_OSM_DAYS),
            overlay_feature_id__isnull=True,
        ),
        "stale_report": Q(
            overlay_observed_at__lt=Now() - timedelta(days=settings.ROUTING_STALE_DAYS)
        ),
        "resurvey_due": Exists(resurvey_due),
    }


GAPS = (
    "unknown_incline",
    "unknown_width",
    "unknown_surface",
    "unknown_kerb_height",
    "crossing_without_kerb",
    "unknown_step_count",
    "unknown_sidewalk",
    "stale_map",
    "stale_report",
    "resurvey_due",
)
GAP_COLORS = [
    "interpolate",
    ["linear"],
    ["get", "gap_count"],
    1,
    "#f2cc60",
    3,
    "#e16f24",
    5,
    "#a40e26",
]


class NetworkQuality(MapLayer):
    """Segments with missing, old or due-for-resurvey data, and which gaps they have."""

    name = "network-quality"
    title = _("Data gaps on the network")
    description = _(
        "Segments with unknown incline, width, surface or kerbs, crossings without kerb "
        "information, and old observations: where mapping helps most."
    )
    geometry = "line"
    depends_on = (GraphEdge, GraphBuild, AccessibilityFeature)
    minzoom = 13
    color = "#e16f24"
    shown_by_default = False  # a task view: mapping campaigns, QA
    attributes: ClassVar[dict[str, str]] = {
        "id": "Segment row id (routing_graphedge)",
        "kind": "sidewalk, crossing, footway, steps, residential, ...",
        "gaps": "What is missing or old, comma-separated: " + ", ".join(GAPS),
        "gap_count": "Number of gaps",
        "osm_way_id": "OSM way to edit (https://www.openstreetmap.org/way/{id})",
        "overlay_feature_id": "Crowd report on this segment (/api/mapping/features/{id}/)",
    }
    helper_columns = ("gap_bits",)
    derived: ClassVar[dict[str, str]] = {
        "gaps": "NULLIF(concat_ws(',', "
        + ", ".join(
            f"CASE WHEN (gap_bits & {1 << i}) <> 0 THEN '{gap}' END" for i, gap in enumerate(GAPS)
        )
        + "), '')",
        "gap_count": "bit_count(gap_bits::bit(16))::integer",
    }

    def features(self, params: LayerParams) -> QuerySet:
        conditions = gap_conditions()
        bits = sql.bits_of([(conditions[gap], 1 << i) for i, gap in enumerate(GAPS)])
        return active_edges().annotate(gap_bits=bits).filter(gap_bits__gt=0)

    def clock_token(self) -> str:
        # Observations grow old and re-surveys fall due by the day.
        return timezone.localdate().isoformat()

    def style_layers(self, source: str) -> list[dict[str, Any]]:
        return [
            {
                "id": self.name,
                "source": source,
                "source-layer": self.name,
                "type": "line",
                "paint": {
                    "line-color": GAP_COLORS,
                    "line-width": ["interpolate", ["linear"], ["zoom"], 13, 2, 17, 6],
                    "line-dasharray": [1.5, 1],
                },
                "layout": {"line-cap": "butt"},
            }
        ]
