"""Built graphs in PostGIS: one row per build, its nodes and edges (for tiles, QA and SQL).

These tables are derived data: they are rebuilt from the OSM file and the tracked
``AccessibilityFeature``s, so they carry no history of their own. Edge rows are per segment
(a piece of way between two graph nodes); direction-dependent columns are for u -> v.
"""

from __future__ import annotations

from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mapping.models import AccessibilityFeature
from routing.models import rule_inputs


class GraphBuild(models.Model):
    """One build of a named area's graph: source file hash, build time, counts, QA report."""

    name = models.SlugField(_("area"), max_length=60)
    build_id = models.CharField(max_length=40, unique=True)
    directory = models.CharField(_("array directory"), max_length=500)
    source_path = models.CharField(max_length=500)
    source_format = models.CharField(max_length=20)
    source_sha256 = models.CharField(max_length=200)
    dem_path = models.CharField(max_length=500, blank=True)
    dem_sha256 = models.CharField(max_length=64, blank=True)
    built_at = models.DateTimeField(_("built at"))
    format_version = models.PositiveSmallIntegerField()
    bbox = models.PolygonField(srid=4326)
    node_count = models.PositiveIntegerField()
    segment_count = models.PositiveIntegerField()
    edge_count = models.PositiveIntegerField()
    summary = models.JSONField(default=dict, help_text=_("Build counters and repairs."))
    quality = models.JSONField(default=dict, help_text=_("Data-quality report."))
    is_active = models.BooleanField(default=False)
    overlay_version = models.PositiveIntegerField(default=0)
    overlay_updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("graph build")
        constraints = [
            models.UniqueConstraint(
                fields=["name"], condition=Q(is_active=True), name="graph_one_active_per_area"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.build_id}"


class GraphNode(models.Model):
    graph = models.ForeignKey(GraphBuild, on_delete=models.CASCADE, related_name="nodes")
    node_index = models.IntegerField()
    osm_id = models.BigIntegerField(null=True)
    geom = models.PointField(srid=4326)
    elevation_m = models.FloatField(null=True)
    kerb = models.CharField(max_length=10, blank=True)
    kerb_height_cm = models.FloatField(null=True)
    barrier = models.CharField(max_length=30, blank=True)
    crossing = models.CharField(max_length=20, blank=True)
    elevator = models.BooleanField(default=False)
    wheelchair = models.CharField(max_length=10, blank=True)
    component = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["graph", "node_index"], name="graph_node_unique_index")
        ]


def _rule_input(expression: rule_inputs.Expression) -> models.GeneratedField:
    """A float32 value stored in a double column (exactly), NULL when unknown."""
    return models.GeneratedField(
        expression=expression, output_field=models.FloatField(null=True), db_persist=True
    )


class GraphEdge(models.Model):
    """A segment of the pedestrian graph with its attributes as OSM-style values; blank = unknown."""

    graph = models.ForeignKey(GraphBuild, on_delete=models.CASCADE, related_name="edges")
    segment_index = models.IntegerField()
    forward_edge = models.IntegerField(null=True, help_text="directed edge u->v, null if one-way")
    backward_edge = models.IntegerField(null=True, help_text="directed edge v->u, null if one-way")
    u_index = models.IntegerField()
    v_index = models.IntegerField()
    osm_way_id = models.BigIntegerField(null=True)
    osm_node_id = models.BigIntegerField(null=True, help_text="elevator node of an elevator ride")
    source = models.CharField(max_length=20)
    kind = models.CharField(max_length=20)
    geom = models.LineStringField(srid=4326)
    length_m = models.FloatField()
    incline_pct = models.FloatField(null=True)
    incline_dir = models.CharField(max_length=5, blank=True)
    grade_mean_pct = models.FloatField(null=True)
    grade_max_up_pct = models.FloatField(null=True)
    grade_max_down_pct = models.FloatField(null=True)
    grade_source = models.CharField(max_length=20, blank=True)
    grade_confidence = models.FloatField(null=True)
    width_m = models.FloatField(null=True)
    surface = models.CharField(max_length=20, blank=True)
    smoothness = models.CharField(max_length=20, blank=True)
    kerb_u = models.CharField(max_length=10, blank=True)
    kerb_v = models.CharField(max_length=10, blank=True)
    kerb_u_cm = models.FloatField(null=True)
    kerb_v_cm = models.FloatField(null=True)
    step_count = models.SmallIntegerField(null=True)
    handrail = models.BooleanField(null=True)
    ramp_wheelchair = models.CharField(max_length=10, blank=True)
    elevator = models.BooleanField(null=True)
    escalator = models.BooleanField(null=True)
    wheelchair = models.CharField(max_length=10, blank=True)
    crossing = models.CharField(max_length=20, blank=True)
    crossing_signals = models.BooleanField(null=True)
    sidewalk = models.CharField(max_length=10, blank=True)
    no_sidewalk = models.BooleanField(null=True)
    lit = models.BooleanField(null=True)
    tactile_paving = models.BooleanField(null=True)
    structure = models.SmallIntegerField(default=0)
    component = models.IntegerField()
    osm_timestamp = models.DateTimeField(null=True)
    overlay_feature_id = models.BigIntegerField(null=True)
    overlay_confidence = models.FloatField(null=True)
    overlay_observed_at = models.DateTimeField(null=True)
    obstacle_width_m = models.FloatField(null=True, help_text="0 = blocked")
    obstacle_until = models.DateTimeField(
        null=True, help_text="expiry of a temporary obstacle; null with a width = until cleared"
    )
    # Barriers at the segment's ends (GraphNode.barrier of u and v, copied when the edge row is
    # written: the network layer reads them per row instead of looking the nodes up).
    barrier_u = models.CharField(max_length=30, blank=True)
    barrier_v = models.CharField(max_length=30, blank=True)
    # Inputs several routing rules read, computed by PostgreSQL on every write of the row (see
    # routing.models.rule_inputs): the network layer reads them instead of recomputing them.
    rule_climb_fwd_pct = _rule_input(rule_inputs.climb(1, "grade_max_up_pct"))
    rule_climb_bwd_pct = _rule_input(rule_inputs.climb(-1, "grade_max_down_pct"))
    rule_descent_fwd_pct = _rule_input(rule_inputs.descent(1, "grade_max_down_pct"))
    rule_descent_bwd_pct = _rule_input(rule_inputs.descent(-1, "grade_max_up_pct"))
    rule_kerb_cm = _rule_input(rule_inputs.kerb_cm())
    rule_grade_is_limit = models.GeneratedField(
        expression=models.ExpressionWrapper(
            rule_inputs.CONFIDENT, output_field=models.BooleanField()
        ),
        output_field=models.BooleanField(),
        db_persist=True,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["graph", "segment_index"], name="graph_edge_unique_segment"
            )
        ]
        indexes = [models.Index(fields=["graph", "kind"])]


class GraphOverlayItem(models.Model):
    """Where a verified feature was snapped in a graph (node or segment), kept for quick refresh."""

    class Target(models.TextChoices):
        NODE = "node", "node"
        EDGE = "edge", "edge"

    graph = models.ForeignKey(GraphBuild, on_delete=models.CASCADE, related_name="overlay_items")
    feature = models.ForeignKey(
        AccessibilityFeature, on_delete=models.CASCADE, related_name="graph_overlay_items"
    )
    target = models.CharField(max_length=10, choices=Target.choices)
    node_index = models.IntegerField(null=True)
    segment_index = models.IntegerField(null=True)
    distance_m = models.FloatField()
    snapped_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["graph", "feature"], name="graph_overlay_one_per_feature"
            )
        ]
