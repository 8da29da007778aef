"""Duplicate detection: the same car (plate) or the same bay within a time window.

Two citizens reporting one car, or a citizen and a sensor: the later report becomes a
duplicate of the first one still open, automatically (an official can reopen it).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.measure import D
from django.db.models import Q

from violations.models import ReportSource, ReportStatus, ViolationReport


def find_original(report: ViolationReport) -> ViolationReport | None:
    """The earliest other open report of the same incident, or ``None``."""
    window = timedelta(minutes=settings.VIOLATIONS_DUPLICATE_WINDOW_MIN)
    candidates = (
        ViolationReport.objects.exclude(pk=report.pk)
        .exclude(status__in=(ReportStatus.DISMISSED, ReportStatus.DUPLICATE))
        .filter(
            source__in=(ReportSource.CITIZEN, ReportSource.SENSOR),
            occurred_at__gte=report.occurred_at - window,
            occurred_at__lte=report.occurred_at + window,
        )
    )
    same: Q = Q(pk__in=[])
    if report.plate_hash:
        same |= Q(plate_hash=report.plate_hash)
    if report.spot_id:
        same |= Q(spot_id=report.spot_id, violation_type=report.violation_type)
    by_rule = candidates.filter(same).order_by("occurred_at", "pk").first()
    if by_rule is not None or report.spot_id:
        return by_rule
    # No bay known: the same type of offence a few metres away is the same incident.
    return (
        candidates.filter(spot__isnull=True, violation_type=report.violation_type)
        .annotate(distance=Distance("geom", report.geom))
        .filter(distance__lte=D(m=settings.VIOLATIONS_DUPLICATE_RADIUS_M))
        .order_by("occurred_at", "pk")
        .first()
    )
