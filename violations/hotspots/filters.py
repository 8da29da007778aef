"""Hotspot filters from query parameters: period, time of day, weekday, type, status, district."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.gis.geos import Polygon
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce, ExtractHour, ExtractIsoWeekDay
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from modugil.errors import InvalidInput
from modugil.geo import parse_bbox
from violations.models import (
    COUNTED_STATUSES,
    ReportSource,
    ReportStatus,
    TimePrecision,
    ViolationReport,
    ViolationType,
)

WEEKDAYS = {"mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7}
DEFAULT_PERIOD = timedelta(days=365)


@dataclass(frozen=True)
class HotspotFilter:
    start: datetime
    end: datetime
    hours: tuple[int, ...] = ()
    weekdays: tuple[int, ...] = ()
    types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = COUNTED_STATUSES
    sources: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    bbox: tuple[float, float, float, float] | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def previous(self) -> HotspotFilter:
        """The same filter over the period of equal length just before this one."""
        length = self.end - self.start
        return replace(self, start=self.start - length, end=self.start)

    def queryset(self) -> QuerySet[ViolationReport]:
        """Reports matching the filter; a report with a period counts when the periods overlap."""
        tz = ZoneInfo(settings.TIME_ZONE)
        qs = ViolationReport.objects.annotate(
            seen_until=Coalesce("occurred_until", "occurred_at")
        ).filter(occurred_at__lt=self.end, seen_until__gte=self.start)
        if self.statuses:
            qs = qs.filter(status__in=self.statuses)
        if self.types:
            qs = qs.filter(violation_type__in=self.types)
        if self.sources:
            qs = qs.filter(source__in=self.sources)
        if self.districts:
            qs = qs.filter(district__in=self.districts)
        if self.bbox:
            qs = qs.filter(geom__bboverlaps=Polygon.from_bbox(self.bbox))
        if self.hours:
            qs = qs.annotate(local_hour=ExtractHour("occurred_at", tzinfo=tz)).filter(
                local_hour__in=self.hours, time_precision=TimePrecision.EXACT
            )
        if self.weekdays:
            qs = qs.annotate(local_dow=ExtractIsoWeekDay("occurred_at", tzinfo=tz)).filter(
                Q(time_precision=TimePrecision.EXACT) | Q(time_precision=TimePrecision.DAY),
                local_dow__in=self.weekdays,
            )
        return qs

    def describe(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "hours": list(self.hours),
            "weekdays": list(self.weekdays),
            "types": list(self.types),
            "statuses": list(self.statuses),
            "sources": list(self.sources),
            "districts": list(self.districts),
            "bbox": list(self.bbox) if self.bbox else None,
        }


def from_params(params: Any, *, public: bool = False) -> HotspotFilter:
    """Build a filter from query parameters; raise ``InvalidInput`` naming the bad one."""
    end = _moment(params.get("end"), "end", end_of_day=True) or timezone.now()
    start = _moment(params.get("start"), "start", end_of_day=False) or end - DEFAULT_PERIOD
    if start >= end:
        raise InvalidInput("start must be before end.", fields={"start": ["After end."]})
    statuses = _choices(params.get("status"), ReportStatus.values, "status") or COUNTED_STATUSES
    if public:  # anonymous layers never count what officials ruled out
        statuses = tuple(s for s in statuses if s in COUNTED_STATUSES) or COUNTED_STATUSES
    bbox_text = params.get("bbox")
    return HotspotFilter(
        start=start,
        end=end,
        hours=_hours(params.get("hours")),
        weekdays=_weekdays(params.get("weekdays")),
        types=_choices(params.get("type"), ViolationType.values, "type"),
        statuses=statuses,
        sources=_choices(params.get("source"), ReportSource.values, "source"),
        districts=tuple(d.strip() for d in (params.get("district") or "").split(",") if d.strip()),
        bbox=parse_bbox(bbox_text) if bbox_text else None,
    )


def _moment(text: str | None, name: str, *, end_of_day: bool) -> datetime | None:
    if not text:
        return None
    tz = ZoneInfo(settings.TIME_ZONE)
    try:
        day = parse_date(text) if len(text) == 10 else None
        moment = None if day else parse_datetime(text)
    except ValueError:
        day = moment = None
    if day is not None:  # end dates are inclusive: the whole day counts
        return datetime.combine(day + timedelta(days=1) if end_of_day else day, time(), tz)
    if moment is None:
        msg = "Use YYYY-MM-DD or an ISO 8601 date-time."
        raise InvalidInput(msg, fields={name: [msg]})
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def _choices(text: str | None, allowed: list[str], name: str) -> tuple[str, ...]:
    values = tuple(v.strip() for v in (text or "").split(",") if v.strip())
    unknown = [v for v in values if v not in allowed]
    if unknown:
        msg = f"Unknown {name}: {', '.join(unknown)}; use {', '.join(allowed)}."
        raise InvalidInput(msg, fields={name: [msg]})
    return values


def _hours(text: str | None) -> tuple[int, ...]:
    """'7-9,18-22' (inclusive, local time; '22-2' wraps past midnight) -> hours."""
    hours: set[int] = set()
    for part in (text or "").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            first, _, last = part.partition("-")
            a, b = int(first), int(last or first)
        except ValueError as e:
            raise InvalidInput("hours: use ranges like 7-9,18-22.", fields={"hours": [part]}) from e
        if not (0 <= a <= 23 and 0 <= b <= 23):
            raise InvalidInput("hours run from 0 to 23.", fields={"hours": [part]})
        hours.update(range(a, b + 1) if a <= b else [*range(a, 24), *range(0, b + 1)])
    return tuple(sorted(hours))


def _weekdays(text: str | None) -> tuple[int, ...]:
    days: set[int] = set()
    for part in (text or "").split(","):
        part = part.strip().lower()
        if not part:
            continue
        day = WEEKDAYS.get(part[:3]) or (int(part) if part.isdigit() else 0)
        if not 1 <= day <= 7:
            msg = "weekdays: mon..sun or 1 (Monday) .. 7 (Sunday)."
            raise InvalidInput(msg, fields={"weekdays": [msg]})
        days.add(day)
    return tuple(sorted(days))
