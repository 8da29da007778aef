"""Change counters that move each layer's version (see :mod:`tiles.versions`)."""

from __future__ import annotations

from django.contrib.gis.db import models as gis_models
from django.db import models


class TableChanges(models.Model):
    """Statements that changed ``table_name``, counted per database backend process.

    Written only by the ``tiles_count_changes`` statement trigger. ``backend_pid`` 0 holds the
    folded total of backends that are gone. Internal bookkeeping, not shared data: no history.
    """

    table_name = models.CharField(max_length=63)
    backend_pid = models.IntegerField()
    changes = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["table_name", "backend_pid"], name="tiles_changes_per_backend"
            )
        ]

    def __str__(self) -> str:
        return f"{self.table_name}@{self.backend_pid}: {self.changes}"


class FeatureRepresentative(models.Model):
    """The accessibility features that stand for their thinning cell on low-zoom tiles.

    Kept by the database (statement triggers of migration 0004 on
    ``mapping_accessibilityfeature``): per cell of the z13 tiles' thinning grid (level 19), the
    active permanent feature with the lowest id, with a copy of the attributes the ``features``
    layer draws, so a thinned tile is one index-only range scan over this table instead of
    grouping every feature of the tile and fetching the winners row by row. ``level`` is the
    coarsest grid where it wins: 18 (z12 tiles) or 19 (z13 only). Derived data, not shared
    data: no history (the features' own history has every change).
    """

    id = models.BigIntegerField(primary_key=True)  # mapping.AccessibilityFeature.id
    level = models.PositiveSmallIntegerField()
    # tiles_grid_key(geom, 2^24): the level-24 key of the bounding box's north-west corner.
    grid_key = models.BigIntegerField()
    # At most GRID_SMALL_SPAN_PX across: found by key; larger ones by geometry.
    small = models.BooleanField()
    # spatial_index off: the GiST index is partial, on the larger ones (migration 0004).
    geom = gis_models.GeometryField(srid=4326, spatial_index=False)
    # Copies of mapping.AccessibilityFeature's columns (a test checks that the types match).
    feature_type = models.CharField(max_length=30)
    kerb = models.CharField(max_length=10, null=True)  # NULL, not blank: unknown
    kerb_height_cm = models.FloatField(null=True)
    step_count = models.PositiveSmallIntegerField(null=True)
    ramp_wheelchair = models.CharField(max_length=10, null=True)  # NULL, not blank: unknown
    incline_pct = models.FloatField(null=True)
    width_m = models.FloatField(null=True)
    surface = models.CharField(max_length=20, null=True)  # NULL, not blank: unknown
    elevator_working = models.BooleanField(null=True)
    is_temporary = models.BooleanField(default=False)
    status = models.CharField(max_length=20)
    confidence = models.FloatField()

    class Meta:
        indexes = [
            # Thinned tiles: key ranges, read from the index alone.
            models.Index(
                fields=["grid_key"],
                include=[
                    "id",
                    "level",
                    "small",
                    "geom",
                    "feature_type",
                    "kerb",
                    "kerb_height_cm",
                    "step_count",
                    "ramp_wheelchair",
                    "incline_pct",
                    "width_m",
                    "surface",
                    "elevator_working",
                    "is_temporary",
                    "status",
                    "confidence",
                ],
                name="tiles_repr_key",
            ),
        ]

    def __str__(self) -> str:
        return f"feature {self.id} (level {self.level})"
