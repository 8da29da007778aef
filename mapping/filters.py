"""Query filters shared by the list endpoints: bbox, distance, type, status, source, updated_since."""

from __future__ import annotations

import math
from typing import Any

import django_filters
from django.contrib.gis.geos import Polygon
from django.contrib.gis.measure import D
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from mapping.models import (
    AccessibilityFeature,
    DisabledParkingSpot,
    FeatureType,
    Place,
    PlaceCategory,
    ReviewStatus,
    Source,
)
from modugil.errors import InvalidInput
from modugil.geo import parse_bbox, point

MAX_RADIUS_M = 50_000
M_PER_DEG_LAT = 111_320.0


def in_bbox(queryset: QuerySet, value: str, field: str = "geom") -> QuerySet:
    lon_min, lat_min, lon_max, lat_max = parse_bbox(value)
    box = Polygon.from_bbox((lon_min, lat_min, lon_max, lat_max))
    box.srid = 4326
    return queryset.filter(**{f"{field}__intersects": box})


def near(queryset: QuerySet, near_value: str, radius_m: float, field: str = "geom") -> QuerySet:
    """Within ``radius_m`` metres of ``lon,lat``: an index-friendly box first, then exact distance."""
    try:
        lon, lat = (float(p) for p in near_value.split(","))
    except ValueError as e:
        raise InvalidInput(
            _("Expected near=lon,lat."), fields={"near": [_("Expected lon,lat.")]}
        ) from e
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise InvalidInput(
            _("near is out of range."), fields={"near": [_("Out of range; lon first.")]}
        )
    if not 0 < radius_m <= MAX_RADIUS_M:
        msg = _("Must be between 0 and %(max)s m.") % {"max": MAX_RADIUS_M}
        raise InvalidInput(msg, fields={"radius_m": [msg]})
    dlat = radius_m / M_PER_DEG_LAT
    dlon = radius_m / (M_PER_DEG_LAT * max(math.cos(math.radians(lat)), 0.01))
    box = Polygon.from_bbox((lon - dlon, lat - dlat, lon + dlon, lat + dlat))
    box.srid = 4326
    return queryset.filter(
        **{f"{field}__intersects": box, f"{field}__distance_lte": (point(lon, lat), D(m=radius_m))}
    )


class ObservationFilter(django_filters.FilterSet):
    bbox = django_filters.CharFilter(
        method="filter_bbox", help_text="lon_min,lat_min,lon_max,lat_max"
    )
    near = django_filters.CharFilter(method="filter_near", help_text="lon,lat (with radius_m)")
    radius_m = django_filters.NumberFilter(method="filter_noop", help_text="metres, default 500")
    status = django_filters.MultipleChoiceFilter(choices=ReviewStatus.choices)
    source = django_filters.MultipleChoiceFilter(choices=Source.choices)
    updated_since = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    due_for_resurvey = django_filters.BooleanFilter(method="filter_due")

    def filter_bbox(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return in_bbox(queryset, value)

    def filter_near(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        radius = self.data.get("radius_m") or 500
        try:
            radius_m = float(radius)
        except ValueError as e:
            raise InvalidInput(
                _("radius_m must be a number."), fields={"radius_m": [_("Must be a number.")]}
            ) from e
        return near(queryset, value, radius_m)

    def filter_noop(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset

    def filter_due(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        from django.utils import timezone

        if value:
            return queryset.filter(resurvey_due_at__lte=timezone.now())
        return queryset.filter(resurvey_due_at__gt=timezone.now())


class FeatureFilter(ObservationFilter):
    type = django_filters.MultipleChoiceFilter(
        field_name="feature_type", choices=FeatureType.choices
    )

    class Meta:
        model = AccessibilityFeature
        fields = ["type", "status", "source", "updated_since", "is_temporary"]


class PlaceFilter(ObservationFilter):
    type = django_filters.MultipleChoiceFilter(field_name="category", choices=PlaceCategory.choices)
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = Place
        fields = ["type", "status", "source", "updated_since"]


class ParkingFilter(ObservationFilter):
    class Meta:
        model = DisabledParkingSpot
        fields = ["status", "source", "updated_since", "lot_kind"]
