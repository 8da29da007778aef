"""Provenance, review state, soft delete and optimistic versioning shared by every observation."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mapping.models.vocab import SOURCE_PRIOR_CONFIDENCE, OsmType, ReviewStatus, Source


class ObservationQuerySet(models.QuerySet):
    def alive(self) -> ObservationQuerySet:
        return self.filter(deleted_at__isnull=True)

    def due_for_resurvey(self, at: datetime | None = None) -> ObservationQuerySet:
        return self.alive().filter(resurvey_due_at__lte=at or timezone.now())

    def updated_since(self, since: datetime) -> ObservationQuerySet:
        return self.filter(updated_at__gte=since)


class AliveManager(models.Manager):
    """Default manager: soft-deleted rows are hidden everywhere unless asked for."""

    def get_queryset(self) -> ObservationQuerySet:
        return super().get_queryset().filter(deleted_at__isnull=True)  # type: ignore[return-value]


class Observation(models.Model):
    """Abstract base: every crowd or imported observation carries where it came from and how sure we are."""

    # Which re-survey interval applies (key into settings.RESURVEY_DAYS); subclasses override.
    resurvey_kind: ClassVar[str] = "place"

    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    source_dataset = models.CharField(
        _("source dataset"), max_length=80, blank=True, help_text=_("Importer source name.")
    )
    source_ref = models.CharField(
        _("source id"), max_length=120, blank=True, help_text=_("The source's own id.")
    )
    osm_type = models.CharField(max_length=10, choices=OsmType.choices, blank=True)
    osm_id = models.BigIntegerField(null=True, blank=True)
    osm_version = models.PositiveIntegerField(null=True, blank=True)
    osm_tags = models.JSONField(default=dict, blank=True, help_text=_("OSM tags as last seen."))

    observed_at = models.DateTimeField(_("observed at"), default=timezone.now)
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("observer"),
    )
    confidence = models.FloatField(
        _("confidence"),
        blank=True,
        default=None,
        help_text=_("0..1; the source's prior until votes arrive."),
    )
    last_verified_at = models.DateTimeField(_("last verified at"), null=True, blank=True)
    resurvey_due_at = models.DateTimeField(_("re-survey due"), null=True, blank=True)

    status = models.CharField(
        _("review status"),
        max_length=20,
        choices=ReviewStatus.choices,
        default=ReviewStatus.UNVALIDATED,
    )
    agree_count = models.PositiveIntegerField(default=0)
    disagree_count = models.PositiveIntegerField(default=0)
    unsure_count = models.PositiveIntegerField(default=0)
    note = models.TextField(_("note"), blank=True)

    # A client-generated id makes an offline replay of the same create harmless.
    client_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = AliveManager.from_queryset(ObservationQuerySet)()
    all_objects = ObservationQuerySet.as_manager()

    class Meta:
        abstract = True
        base_manager_name = "all_objects"
        constraints = [
            models.CheckConstraint(
                condition=Q(confidence__gte=0) & Q(confidence__lte=1),
                name="%(app_label)s_%(class)s_confidence_0_1",
            ),
            models.UniqueConstraint(
                fields=["source_dataset", "source_ref"],
                condition=~Q(source_ref=""),
                name="%(app_label)s_%(class)s_unique_source_ref",
            ),
        ]

    @property
    def etag(self) -> str:
        return f'"v{self.version}"'

    @property
    def age_days(self) -> int:
        reference = self.last_verified_at or self.observed_at
        return (timezone.now() - reference).days

    def compute_resurvey_due(self) -> datetime:
        days = settings.RESURVEY_DAYS.get(self.resurvey_kind, 2 * 365)
        return (self.last_verified_at or self.observed_at) + timedelta(days=days)

    def cross_field_errors(self) -> dict[str, list[str]]:
        """Rules spanning several fields (mirrored by check constraints); empty when consistent."""
        return {}

    def prepare_for_save(self) -> None:
        """Derived fields; also called by bulk loaders, which bypass ``save``."""
        if self.confidence is None:
            self.confidence = SOURCE_PRIOR_CONFIDENCE.get(Source(self.source), 0.5)
        if self.observed_at:
            self.resurvey_due_at = self.compute_resurvey_due()

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.prepare_for_save()
        super().save(*args, **kwargs)
