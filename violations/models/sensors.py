"""IoT bay sensors (plate-reading cameras or occupancy sensors) and the events they send.

A *session* is one vehicle's stay in the watched bay, named by the device (``session_id``).
Its state is recomputed from the set of its events, so replays and out-of-order delivery give
the same result as in-order delivery.
"""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

from mapping.models import DisabledParkingSpot
from violations.models.reports import ViolationReport


class SensorEventKind(models.TextChoices):
    ENTRY = "entry", _("Vehicle entered the bay")
    WARNING = "warning", _("Warning given (light, voice)")
    VIOLATION = "violation", _("Violation detected")
    EXIT = "exit", _("Vehicle left the bay")


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    exclude=["key_hash", "last_seen_at"],
)
class SensorDevice(models.Model):
    device_id = models.SlugField(_("device id"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=120, blank=True)
    spot = models.ForeignKey(
        DisabledParkingSpot,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sensors",
        verbose_name=_("watched bay"),
    )
    geom = models.PointField(_("location"), srid=4326, null=True, blank=True)
    key_hash = models.CharField(max_length=64, editable=False)
    active = models.BooleanField(_("active"), default=True)
    last_seen_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("sensor device")

    def __str__(self) -> str:
        return self.name or self.device_id


class SensorSession(models.Model):
    device = models.ForeignKey(SensorDevice, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=100)
    entered_at = models.DateTimeField(null=True, blank=True)
    exited_at = models.DateTimeField(null=True, blank=True)
    first_seen_at = models.DateTimeField()
    warning_count = models.PositiveIntegerField(default=0)
    violation_at = models.DateTimeField(null=True, blank=True)
    permit_valid = models.BooleanField(null=True, blank=True)
    plate_hash = models.CharField(max_length=64, blank=True, editable=False)
    plate_encrypted = models.TextField(blank=True, editable=False)
    report = models.OneToOneField(
        ViolationReport,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sensor_session",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["device", "session_key"], name="sensor_session_unique")
        ]

    @property
    def outcome(self) -> str:
        """violation / left_after_warning / permitted / parked / open."""
        if self.violation_at:
            return "violation"
        if self.exited_at and self.warning_count:
            return "left_after_warning"
        if self.permit_valid:
            return "permitted"
        return "parked" if self.exited_at else "open"


class SensorEvent(models.Model):
    """An event as received (append-only). The plate is kept only on the session, encrypted."""

    device = models.ForeignKey(SensorDevice, on_delete=models.CASCADE, related_name="sensor_events")
    event_id = models.CharField(max_length=100)
    session = models.ForeignKey(SensorSession, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=SensorEventKind.choices)
    occurred_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    permit_valid = models.BooleanField(null=True, blank=True)
    plate_hash = models.CharField(max_length=64, blank=True)
    plate_encrypted = models.TextField(blank=True)
    fingerprint = models.CharField(
        max_length=64, help_text="SHA-256 of the normalised event, to tell replays from reuse."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["device", "event_id"], name="sensor_event_unique")
        ]
        ordering = ["occurred_at", "pk"]
