"""The review queue: reports filtered by status, type, source, district, bay and date, oldest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils.translation import gettext as _

from modugil.errors import InvalidInput
from violations.models import (
    CLOSED_STATUSES,
    ReportSource,
    ReportStatus,
    ViolationPhoto,
    ViolationReport,
    ViolationType,
)

# The work still to do: everything an official has not closed, dismissed or merged.
OPEN_STATUSES = tuple(s for s in ReportStatus.values if s not in CLOSED_STATUSES)
# Imported enforcement records are decisions already taken elsewhere (fined, then archived there):
# listed only when asked for, or a year of them would bury the live reports.
LIVE_SOURCES = (ReportSource.CITIZEN.value, ReportSource.SENSOR.value)
PAGE_SIZE = 50


@dataclass(frozen=True)
class QueueFilters:
    statuses: tuple[str, ...] = OPEN_STATUSES
    types: tuple[str, ...] = ()
    sources: tuple[str, ...] = LIVE_SOURCES
    district: str = ""
    spot: int | None = None
    start: date | None = None
    end: date | None = None

    @classmethod
    def from_query(cls, params: QueryDict) -> QueueFilters:
        """Read the queue's GET form; an unknown value raises ``InvalidInput`` naming the field."""
        filtered = "filtered" in params  # an empty status selection then means "any status"
        statuses = _choices(params, "status", ReportStatus.values)
        sources = _choices(params, "source", ReportSource.values)
        return cls(
            statuses=statuses if filtered or statuses else OPEN_STATUSES,
            types=_choices(params, "type", ViolationType.values),
            sources=sources if filtered or sources else LIVE_SOURCES,
            district=params.get("district", "").strip(),
            spot=_int(params, "spot"),
            start=_date(params, "start"),
            end=_date(params, "end"),
        )


def _choices(params: QueryDict, name: str, allowed: list[str]) -> tuple[str, ...]:
    values = tuple(v for v in params.getlist(name) if v)
    unknown = [v for v in values if v not in allowed]
    if unknown:
        msg = _("Unknown value: %(values)s.") % {"values": ", ".join(unknown)}
        raise InvalidInput(msg, fields={name: [msg]})
    return values


def _int(params: QueryDict, name: str) -> int | None:
    text = params.get(name, "").strip()
    if not text:
        return None
    if not text.isdigit():
        msg = _("Must be a whole number.")
        raise InvalidInput(msg, fields={name: [msg]})
    return int(text)


def _date(params: QueryDict, name: str) -> date | None:
    text = params.get(name, "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as e:
        msg = _("Use a date such as 2024-03-31.")
        raise InvalidInput(msg, fields={name: [msg]}) from e


def _without_status(filters: QueueFilters) -> QuerySet[ViolationReport]:
    lookups = {
        "violation_type__in": filters.types,
        "source__in": filters.sources,
        "district": filters.district,
        "spot_id": filters.spot,
        "occurred_at__date__gte": filters.start,
        "occurred_at__date__lte": filters.end,
    }
    return ViolationReport.objects.filter(
        **{k: v for k, v in lookups.items() if v not in (None, "", ())}
    )


def _count_of(qs: QuerySet[Any], key: str) -> Coalesce:
    """The number of ``qs`` rows whose ``key`` is the outer report, as a scalar subquery."""
    counted = qs.filter(**{key: OuterRef("pk")}).order_by().values(key).annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), 0)


def queue(filters: QueueFilters) -> QuerySet[ViolationReport]:
    """Matching reports, oldest first, with photo and duplicate counts for the page's rows only."""
    qs = _without_status(filters)
    if filters.statuses:
        qs = qs.filter(status__in=filters.statuses)
    # Scalar subqueries rather than a GROUP BY: they run for the paginated rows alone, which
    # matters with a million imported enforcement records behind the filters.
    return (
        qs.select_related("spot")
        .annotate(
            photo_count=_count_of(ViolationPhoto.objects.all(), "report"),
            duplicate_count=_count_of(ViolationReport.objects.all(), "duplicate_of"),
        )
        .order_by("occurred_at", "pk")
    )


def status_counts(filters: QueueFilters) -> list[tuple[str, str, int]]:
    """(status, label, count) for every status under the other filters, in workflow order."""
    counts = dict(
        _without_status(filters)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [(value, str(label), counts.get(value, 0)) for value, label in ReportStatus.choices]


def districts() -> list[str]:
    """Districts that have reports, for the filter's choices."""
    return list(
        ViolationReport.objects.exclude(district="")
        .order_by("district")
        .values_list("district", flat=True)
        .distinct()
    )
