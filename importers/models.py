"""Importer bookkeeping (runs, rows waiting for a location, geocoding cache, OSM snapshots) and
the one dataset that has no home in ``mapping``: Project Sidewalk-style street access scores."""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.contrib.gis.db import models as gis_models
from django.contrib.postgres.fields import ArrayField
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mapping.models.observation import Observation


class ImportRun(models.Model):
    class Status(models.TextChoices):
        OK = "ok", "ok"
        FAILED = "failed", "failed"

    source = models.CharField(max_length=80)
    dataset = models.CharField(max_length=80, blank=True)
    path = models.CharField(max_length=500)
    sha256 = models.CharField(max_length=64)
    committed = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices)
    counts = models.JSONField(default=dict)
    rejected = models.JSONField(default=list, help_text="Rejected rows with reasons (first 1000).")
    notes = models.JSONField(
        default=list,
        blank=True,
        help_text="What the run did on purpose: skipped checks, renamed columns, geocoders.",
    )
    message = models.TextField(blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        indexes = [models.Index(fields=["source", "sha256"])]

    def __str__(self) -> str:
        return f"{self.source} {self.started_at:%Y-%m-%d %H:%M} {self.status}"


# Statement-level history triggers: one trigger call per bulk INSERT/UPDATE, not one per row.
@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    level=pghistory.Statement,
)
class PendingGeocode(models.Model):
    """A row with an address but no usable location, kept until a geocoder or an official
    places it. Its parsed values are stored as they would be loaded."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a location")
        RESOLVED = "resolved", _("Located and loaded")

    source = models.CharField(max_length=80)
    dataset = models.CharField(max_length=80)
    model = models.CharField(max_length=80, help_text="Target model label, e.g. mapping.Place.")
    key = models.CharField(max_length=120)
    row = models.PositiveIntegerField(default=0)
    addresses = models.JSONField(default=list)
    values = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    children = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    resolved_by = models.CharField(max_length=40, blank=True, help_text="Geocoder or 'manual'.")
    path = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "model", "key"], name="pending_geocode_one_per_key"
            )
        ]
        indexes = [models.Index(fields=["status", "dataset"])]

    def __str__(self) -> str:
        return f"{self.dataset}/{self.key}"


class GeocodeCache(models.Model):
    """Answers from remote geocoders (found or not), so a re-run costs no quota."""

    provider = models.CharField(max_length=20)
    query = models.CharField(max_length=300, help_text="The normalised address asked for.")
    found = models.BooleanField()
    lon = models.FloatField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    matched = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "query"], name="geocode_cache_one_answer")
        ]

    def __str__(self) -> str:
        return f"{self.provider}: {self.query}"


class OsmElementSnapshot(models.Model):
    """An OSM element version as imported: what an osmChange write-back must send unchanged
    (node position, way node list) next to the tags it changes. Kept per version, because a
    record edited here stays on the version it was edited against."""

    osm_type = models.CharField(max_length=10)
    osm_id = models.BigIntegerField()
    version = models.PositiveIntegerField()
    lon = models.FloatField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    node_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["osm_type", "osm_id", "version"], name="osm_snapshot_one_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.osm_type}/{self.osm_id} v{self.version}"


# Statement-level history triggers: one trigger call per bulk INSERT/UPDATE, not one per row.
@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    level=pghistory.Statement,
)
class StreetAccessScore(Observation):
    """A street segment's access score (Project Sidewalk's AccessScore: 0 = barriers, 1 = good)
    with the label counts behind it."""

    resurvey_kind = "place"

    geom = gis_models.GeometryField(_("street"), srid=4326)
    street_edge_id = models.BigIntegerField(_("street edge id in the source"), null=True)
    score = models.FloatField(
        _("access score"), validators=[MinValueValidator(0), MaxValueValidator(1)]
    )
    significance = models.JSONField(_("weight per label type"), default=dict, blank=True)
    label_counts = models.JSONField(_("labels per type"), default=dict, blank=True)

    class Meta(Observation.Meta):
        verbose_name = _("street access score")
        verbose_name_plural = _("street access scores")
        constraints = [
            *Observation.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=1), name="street_score_0_1"
            ),
        ]

    def __str__(self) -> str:
        return f"street {self.street_edge_id}: {self.score:.2f}"


class ImportedVersion(models.Model):
    """The version of a row as the last import wrote it. A row whose version has moved on was
    edited here since, so a re-import leaves it alone (and says so) instead of undoing the edit."""

    table_name = models.CharField(max_length=63)
    object_id = models.BigIntegerField()
    version = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["table_name", "object_id"], name="imported_version_one_per_row"
            )
        ]

    def __str__(self) -> str:
        return f"{self.table_name}#{self.object_id} v{self.version}"
