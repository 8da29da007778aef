"""The pedestrian network coloured for a profile: passable, passable with warnings, or blocked.

Each segment of the active graphs carries, for the requested profile (``?profile=`` plus
overrides, as for routes), its status in each direction and why: the constraints that block it
(steps, uphill / downhill by direction, kerb at its ends, width, surface, ...) or the warnings a
route there would raise (unknown kerb, near your limits, coarse elevation data, no sidewalk,
stale or low-confidence crowd reports, an obstacle narrowing it). The rules are the routing
engine's (:mod:`routing.layers.network_sql` mirrors them in SQL; segments whose crowd reports
the profile ignores are computed by the engine itself, see :meth:`Network.slot_values`).
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any, ClassVar

from django.db.models import F, FloatField, Func, IntegerField, Q, QuerySet, Subquery
from django.db.models.expressions import Case, RawSQL, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThan
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from routing.engine.segment_status import AMBER_WARNINGS, CONSTRAINT_NAMES, WARNINGS
from routing.layers import network_sql as sql
from routing.models import GraphBuild, GraphEdge, GraphNode
from routing.profiles import UNKNOWN_ATTRIBUTES, Profile
from tiles.layer import LayerParams, ProfileLayer, Slot
from tiles.layers.mapping import AccessibilityFeatures
from tiles.versions import layer_version

STATUS_COLORS = {"passable": "#1a7f37", "warning": "#bf8700", "blocked": "#cf222e"}
CORRECTIONS = Slot("network_corrections")
_EDGE_TABLE = GraphEdge._meta.db_table


def active_edges() -> QuerySet[GraphEdge]:
    """Segments of the active graph of each area (a subquery, so the row has no join)."""
    active = GraphBuild.objects.filter(is_active=True).values("pk")
    return GraphEdge.objects.filter(graph_id__in=Subquery(active))


def rounded(expression: Any, digits: int = 1) -> Func:
    """Rounded for the tile (PostgreSQL rounds numeric, not real), as a double."""
    return Func(
        expression,
        template=f"round((%(expressions)s)::numeric, {int(digits)})::double precision",
        output_field=FloatField(),
    )


# Positions of the values in each row of the corrections JSON (see ``corrections``).
CORRECTED = ("bits_fwd", "bits_bwd", "warnings_fwd", "warnings_bwd", "unknown_bits")


def _corrected(name: str, mirror: Any, profile: Profile) -> Coalesce:
    """The engine's value for rows whose crowd report the profile ignores (see slot_values)."""
    ignored = Q(LessThan(sql.real(F("overlay_confidence")), sql.number(profile.min_confidence)))
    lookup = RawSQL(  # noqa: S611 - table and position come from code; the JSON is a parameter
        f'(%s::jsonb -> "{_EDGE_TABLE}"."id"::text ->> {CORRECTED.index(name)})::int',
        (CORRECTIONS,),
        output_field=IntegerField(),
    )
    engine = Case(When(ignored, then=lookup), default=None, output_field=IntegerField())
    return Coalesce(engine, mirror, output_field=IntegerField())


# --- the derived attributes, computed in the tile query's wrapper from the bit columns --------


def _names_sql(bits: str, vocabulary: tuple[str, ...]) -> str:
    cases = ", ".join(
        f"CASE WHEN ({bits} & {1 << i}) <> 0 THEN '{name}' END" for i, name in enumerate(vocabulary)
    )
    return f"NULLIF(concat_ws(',', {cases}), '')"


_AMBER = sum(1 << WARNINGS.index(code) for code in AMBER_WARNINGS)


def _state_sql(d: str) -> str:
    """-1 no such direction, 0 passable, 1 warning, 2 blocked."""
    edge = {"fwd": "forward_edge", "bwd": "backward_edge"}[d]
    return (
        f"CASE WHEN {edge} IS NULL THEN -1 WHEN bits_{d} <> 0 THEN 2 "
        f"WHEN (warnings_{d} & {_AMBER}) <> 0 THEN 1 ELSE 0 END"
    )


def _status_sql(d: str) -> str:
    return (
        f"CASE ({_state_sql(d)}) WHEN 0 THEN 'passable' WHEN 1 THEN 'warning' "
        "WHEN 2 THEN 'blocked' END"
    )


def _why_sql(d: str) -> str:
    edge = {"fwd": "forward_edge", "bwd": "backward_edge"}[d]
    return (
        f"CASE WHEN {edge} IS NULL THEN NULL "
        f"WHEN bits_{d} <> 0 THEN {_names_sql(f'bits_{d}', CONSTRAINT_NAMES)} "
        f"ELSE {_names_sql(f'warnings_{d}', WARNINGS)} END"
    )


OVERALL_SQL = (
    f"CASE WHEN ({_state_sql('fwd')}) IN (-1, 2) AND ({_state_sql('bwd')}) IN (-1, 2) "
    f"THEN 'blocked' WHEN ({_state_sql('fwd')}) IN (-1, 0) AND ({_state_sql('bwd')}) IN (-1, 0) "
    "THEN 'passable' ELSE 'warning' END"
)


class Network(ProfileLayer):
    """The walkable network of the active graphs, each segment coloured for the profile."""

    name = "network"
    title = _("Pedestrian network for your profile")
    description = _(
        "Paths passable, passable with warnings or blocked for your profile, in each direction, "
        "and why."
    )
    geometry = "line"
    depends_on = (GraphEdge, GraphBuild, GraphNode)
    minzoom = 13
    color = STATUS_COLORS["passable"]
    attributes: ClassVar[dict[str, str]] = {
        "id": "Segment row id (routing_graphedge)",
        "kind": "sidewalk, crossing, footway, steps, residential, ...",
        "status": "passable, warning or blocked (blocked only if no direction is passable)",
        "status_fwd": "Along the line's direction: passable, warning, blocked (absent: one-way)",
        "status_bwd": "Against the line's direction",
        "why_fwd": "Why, along the line: blocking constraints, else warnings (comma-separated)",
        "why_bwd": "Why, against the line",
        "unknown": "Attributes unknown here: incline, kerb, width, surface, smoothness, steps",
        "climb_fwd_pct": "Steepest climb along the line (%; absent = unknown)",
        "climb_bwd_pct": "Steepest climb against the line (%; absent = unknown)",
        "kerb_cm": "Highest kerb at either end (cm)",
        "width_m": "Width (m)",
        "surface": "OSM surface=*",
        "step_count": "Number of steps",
    }
    helper_columns = (
        "forward_edge",
        "backward_edge",
        "bits_fwd",
        "bits_bwd",
        "warnings_fwd",
        "warnings_bwd",
        "unknown_bits",
        "width_m",  # stored float32: rounded in the wrapper
    )
    derived: ClassVar[dict[str, str]] = {
        "status": OVERALL_SQL,
        "status_fwd": _status_sql("fwd"),
        "status_bwd": _status_sql("bwd"),
        "why_fwd": _why_sql("fwd"),
        "why_bwd": _why_sql("bwd"),
        "unknown": _names_sql("unknown_bits", UNKNOWN_ATTRIBUTES),
        "width_m": "round(width_m::numeric, 2)::double precision",
    }

    def features(self, params: LayerParams) -> QuerySet:
        profile = self.profile(params)
        mirrored = {
            "bits_fwd": sql.constraint_bits(sql.FWD, profile),
            "bits_bwd": sql.constraint_bits(sql.BWD, profile),
            "warnings_fwd": sql.warning_bits(sql.FWD, profile),
            "warnings_bwd": sql.warning_bits(sql.BWD, profile),
            "unknown_bits": sql.unknown_bits(),
        }
        return active_edges().annotate(
            **{name: _corrected(name, mirrored[name], profile) for name in CORRECTED},
            climb_fwd_pct=rounded(sql.climb(sql.FWD)),
            climb_bwd_pct=rounded(sql.climb(sql.BWD)),
            kerb_cm=rounded(sql.kerb_cm()),
        )

    def clock_query(self) -> QuerySet:
        # Obstacles on the network are the overlay's temporary obstacles: the features layer's
        # clock (the latest expiry already passed) moves when one of them expires.
        return AccessibilityFeatures().clock_query()

    def clock_token(self) -> str:
        # Crowd reports grow stale by the day.
        return timezone.localdate().isoformat()

    def slot_values(self, params: LayerParams, version: str | None = None) -> dict[Slot, Any]:
        return {CORRECTIONS: corrections(self, self.profile(params), version)}

    def style_layers(self, source: str) -> list[dict[str, Any]]:
        pairs = [item for status_color in STATUS_COLORS.items() for item in status_color]
        colors = ["match", ["get", "status"], *pairs, "#6e7781"]
        width = ["interpolate", ["linear"], ["zoom"], 13, 1.5, 17, 5]
        return [
            {
                "id": self.name,
                "source": source,
                "source-layer": self.name,
                "type": "line",
                "paint": {"line-color": colors, "line-width": width, "line-opacity": 0.85},
                "layout": {"line-cap": "round", "line-join": "round"},
            }
        ]


# --- segments whose crowd reports the profile ignores: computed by the engine ---------------

_cache_lock = threading.Lock()
_confidence_floor: dict[str, float | None] = {}  # layer version -> lowest crowd confidence


def _lowest_confidence(layer: Network, version: str | None = None) -> float | None:
    version = version or layer_version(layer)
    with _cache_lock:
        if version in _confidence_floor:
            return _confidence_floor[version]
    rows = active_edges().filter(overlay_confidence__isnull=False).order_by("overlay_confidence")
    lowest = rows.values_list("overlay_confidence", flat=True).first()
    with _cache_lock:
        _confidence_floor.clear()  # only the current version matters
        _confidence_floor[version] = lowest
    return lowest


def corrections(layer: Network, profile: Profile, version: str | None = None) -> str:
    """JSON {row id: [bits_fwd, bits_bwd, warnings_fwd, warnings_bwd, unknown]} for the rows
    whose crowd report is below the profile's ``min_confidence``.

    The engine then uses the OSM values kept in the graph's base arrays, which the PostGIS rows
    do not hold; so those few rows take the engine's own answer. Usually there are none (crowd
    reports are validated, with confidence above every preset's threshold): one cached query.
    """
    lowest = _lowest_confidence(layer, version)
    if lowest is None or lowest >= profile.min_confidence:
        return "{}"
    from routing.engine.segment_status import segment_status  # numpy engine: only when needed
    from routing.graph.store import GraphNotBuilt, get_graph

    ignored = (
        active_edges()
        .filter(overlay_confidence__lt=profile.min_confidence)
        .values_list("id", "graph__name", "graph__build_id", "segment_index")
    )
    by_graph: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for row_id, name, build_id, segment in ignored:
        by_graph.setdefault((name, build_id), []).append((row_id, segment))
    out: dict[str, list[int]] = {}
    for (name, build_id), rows in by_graph.items():
        try:
            graph = get_graph(name)
        except GraphNotBuilt:
            continue
        if graph.meta.get("build_id") != build_id:
            continue  # arrays and rows of different builds: keep the SQL answer
        status = segment_status(graph, profile, time.time())
        for row_id, segment in rows:
            out[str(row_id)] = [
                int(status.blocked_fwd[segment]),
                int(status.blocked_bwd[segment]),
                int(status.warnings_fwd[segment]),
                int(status.warnings_bwd[segment]),
                int(status.unknown[segment]),
            ]
    return json.dumps(out)
