"""Vocabularies of the violations app: types, sources, statuses and the reasons officials give."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ViolationType(models.TextChoices):
    """The three offences of 장애인·노인·임산부 등의 편의증진 보장에 관한 법률 §17."""

    ILLEGAL_PARKING = "illegal_parking", _("Illegal parking (불법주차)")
    OBSTRUCTION = "obstruction", _("Obstructing the bay or aisle (주차방해)")
    PERMIT_MISUSE = "permit_misuse", _("Permit misuse (표지 부정사용)")


class ReportSource(models.TextChoices):
    CITIZEN = "citizen", _("Citizen report")
    SENSOR = "sensor", _("IoT sensor")
    ENFORCEMENT = "enforcement", _("Enforcement record")


class Channel(models.TextChoices):
    """How a report reached us (a citizen report may come through the form, the API or Open311)."""

    FORM = "form", _("Web form")
    API = "api", _("API")
    OPEN311 = "open311", _("Open311")
    SENSOR_API = "sensor_api", _("Sensor API")
    IMPORT = "import", _("File import")


class ReportStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    UNDER_REVIEW = "under_review", _("Under review")
    CONFIRMED = "confirmed", _("Confirmed")
    WARNED = "warned", _("Warned")
    FINED = "fined", _("Fined")
    CLOSED = "closed", _("Closed")
    DISMISSED = "dismissed", _("Dismissed")
    DUPLICATE = "duplicate", _("Duplicate")


# Statuses a hotspot map counts unless asked otherwise: everything not ruled out.
COUNTED_STATUSES = tuple(
    s for s in ReportStatus.values if s not in (ReportStatus.DISMISSED, ReportStatus.DUPLICATE)
)
CLOSED_STATUSES = (ReportStatus.CLOSED, ReportStatus.DISMISSED, ReportStatus.DUPLICATE)


class TimePrecision(models.TextChoices):
    """Aggregated records only know the period; hour and weekday filters need exact times."""

    EXACT = "exact", _("Exact time")
    DAY = "day", _("Day")
    PERIOD = "period", _("Period only")


class DecisionReason(models.TextChoices):
    """Public reason codes: free text stays internal, so no plate can leak through a reason."""

    EVIDENCE_SUFFICIENT = "evidence_sufficient", _("Evidence is sufficient")
    INSUFFICIENT_EVIDENCE = "insufficient_evidence", _("Evidence is insufficient")
    PERMIT_VALID = "permit_valid", _("The vehicle had a valid permit")
    NOT_A_DISABLED_BAY = "not_a_disabled_bay", _("Not a disabled-only bay")
    OUTSIDE_JURISDICTION = "outside_jurisdiction", _("Outside our jurisdiction")
    DUPLICATE_REPORT = "duplicate_report", _("Already reported")
    WARNING_ISSUED = "warning_issued", _("A warning was issued")
    FINE_ISSUED = "fine_issued", _("A fine was issued")
    VEHICLE_LEFT = "vehicle_left", _("The vehicle had left")
    REOPENED = "reopened", _("Reopened for review")
    OTHER = "other", _("Other")
