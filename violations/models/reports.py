"""A disabled-parking violation: one citizen report, one sensor-detected stay, or enforcement records.

Enforcement files aggregate cases per location (``case_count``); hotspots sum ``case_count``.
The plate is never stored in clear: ``plate_hash`` (HMAC, for matching) and ``plate_encrypted``
(Fernet, readable by officials only; see ``violations.crypto``).
"""

from __future__ import annotations

from typing import Any

import h3.api.basic_int as h3i
import pghistory
from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mapping.models import DisabledParkingSpot
from violations.models.vocab import (
    Channel,
    DecisionReason,
    ReportSource,
    ReportStatus,
    TimePrecision,
    ViolationType,
)

# Points are indexed at the finest H3 resolution; coarser cells come from ``violations_h3_parent``.
H3_STORED_RES = 15


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class ViolationReport(models.Model):
    geom = models.PointField(_("location"), srid=4326)
    h3_r15 = models.BigIntegerField(_("H3 cell (resolution 15)"), editable=False)
    occurred_at = models.DateTimeField(_("seen at"), default=timezone.now)
    occurred_until = models.DateTimeField(_("seen until"), null=True, blank=True)
    time_precision = models.CharField(
        _("time precision"),
        max_length=10,
        choices=TimePrecision.choices,
        default=TimePrecision.EXACT,
    )
    violation_type = models.CharField(
        _("violation type"), max_length=20, choices=ViolationType.choices
    )
    source = models.CharField(_("source"), max_length=20, choices=ReportSource.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.RECEIVED
    )
    case_count = models.PositiveIntegerField(
        _("cases"), default=1, help_text=_("Enforcement files aggregate cases per location.")
    )
    spot = models.ForeignKey(
        DisabledParkingSpot,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="violation_reports",
        db_index=False,
        verbose_name=_("disabled parking spot"),
    )
    spot_distance_m = models.FloatField(_("distance to the bay (m)"), null=True, blank=True)
    district = models.CharField(_("district (동)"), max_length=60, blank=True)
    place_text = models.CharField(_("place"), max_length=200, blank=True)
    description = models.TextField(_("description (internal)"), blank=True)
    plate_hash = models.CharField(max_length=64, blank=True, editable=False)
    plate_encrypted = models.TextField(blank=True, editable=False)
    plate_visible = models.BooleanField(_("plate visible in photos"), null=True, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="violation_reports",
        db_index=False,
    )
    reporter_contact_encrypted = models.TextField(blank=True, editable=False)
    open311_client = models.ForeignKey(
        "violations.Open311Client",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
        db_index=False,
    )
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
        db_index=False,
    )
    decision_reason = models.CharField(
        _("reason"), max_length=30, choices=DecisionReason.choices, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    source_dataset = models.CharField(max_length=80, blank=True)
    source_ref = models.CharField(max_length=120, blank=True)
    source_line = models.PositiveIntegerField(null=True, blank=True)
    # No database constraint: a per-row check would cost a lookup for each of a million COPY rows.
    import_run = models.ForeignKey(
        "importers.ImportRun",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_index=False,
        db_constraint=False,
    )
    client_id = models.UUIDField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("violation report")
        verbose_name_plural = _("violation reports")
        constraints = [
            models.CheckConstraint(condition=Q(case_count__gte=1), name="violation_cases_positive"),
            models.CheckConstraint(
                condition=Q(occurred_until__isnull=True) | Q(occurred_until__gte=F("occurred_at")),
                name="violation_until_after_start",
            ),
            models.CheckConstraint(
                condition=Q(spot_distance_m__isnull=True) | Q(spot_distance_m__gte=0),
                name="violation_spot_distance_positive",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.DUPLICATE) | Q(duplicate_of__isnull=False),
                name="violation_duplicate_has_original",
            ),
            # Partial: a million imported rows without a client id add no index entries.
            models.UniqueConstraint(
                fields=["client_id"],
                condition=Q(client_id__isnull=False),
                name="violation_unique_client_id",
            ),
            models.UniqueConstraint(
                fields=["source_dataset", "source_ref"],
                condition=~Q(source_ref=""),
                name="violation_unique_source_ref",
            ),
        ]
        indexes = [
            models.Index(fields=["occurred_at"], name="violation_occurred_idx"),
            # The officials' review queue (live reports by status, oldest first); partial so that
            # bulk-imported enforcement records cost it nothing.
            models.Index(
                fields=["status", "occurred_at"],
                condition=~Q(source=ReportSource.ENFORCEMENT),
                name="violation_live_queue_idx",
            ),
            models.Index(
                fields=["plate_hash", "occurred_at"],
                condition=~Q(plate_hash=""),
                name="violation_plate_idx",
            ),
            models.Index(
                fields=["spot", "occurred_at"],
                condition=Q(spot__isnull=False),
                name="violation_spot_idx",
            ),
            models.Index(
                fields=["reporter"],
                condition=Q(reporter__isnull=False),
                name="violation_reporter_idx",
            ),
            models.Index(
                fields=["duplicate_of"],
                condition=Q(duplicate_of__isnull=False),
                name="violation_duplicate_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_violation_type_display()} ({self.get_status_display()})"

    @property
    def etag(self) -> str:
        return f'"v{self.version}"'

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.h3_r15 = h3_cell(self.geom.x, self.geom.y)
        super().save(*args, **kwargs)


def h3_cell(lon: float, lat: float) -> int:
    """The stored H3 index of a point (resolution 15, as a signed 64-bit int for PostgreSQL)."""
    return int(h3i.latlng_to_cell(lat, lon, H3_STORED_RES))


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class ReportNote(models.Model):
    """An official's internal note on a report (never published)."""

    report = models.ForeignKey(ViolationReport, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
