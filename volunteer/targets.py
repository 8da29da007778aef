"""How the app names and summarises a contribution (feature, place or parking spot) for people."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from mapping.models import AccessibilityFeature, DisabledParkingSpot, Observation, Photo, Place
from volunteer.capture import ENTRANCE_FIELDS, FEATURE_FIELDS, PARKING_FIELDS
from volunteer.fields import display_value, field_spec

MODEL_BY_KIND: dict[str, type[Observation]] = {
    "feature": AccessibilityFeature,
    "place": Place,
    "parking": DisabledParkingSpot,
}
ROUTE_NAME = {
    "feature": "feature-detail",
    "place": "place-detail",
    "parking": "parking-spot-detail",
}
NUMERIC_TYPES = ("number",)


def for_display(qs: QuerySet) -> QuerySet:
    """Fetch what summaries read (the observer, a place's entrances) without a query per row."""
    qs = qs.select_related("observer")
    if qs.model is Place:
        qs = qs.prefetch_related("entrances")
    return qs


def kind_of(obj: Model) -> str:
    for kind, model in MODEL_BY_KIND.items():
        if isinstance(obj, model):
            return kind
    msg = f"Not a contribution: {type(obj).__name__}"
    raise TypeError(msg)


def api_url(obj: Model) -> str:
    return reverse(ROUTE_NAME[kind_of(obj)], args=[obj.pk])


def title(obj: Model) -> str:
    if isinstance(obj, AccessibilityFeature):
        return f"{obj.get_feature_type_display()} #{obj.pk}"
    if isinstance(obj, Place):
        return obj.name
    if isinstance(obj, DisabledParkingSpot):
        return obj.lot_name or f"{_('Disabled parking')} #{obj.pk}"
    return str(obj)


def value_fields(obj: Model) -> tuple[str, ...]:
    if isinstance(obj, AccessibilityFeature):
        return FEATURE_FIELDS.get(obj.feature_type, ())
    if isinstance(obj, DisabledParkingSpot):
        return PARKING_FIELDS
    return ("category", "toilet_accessible", "parking_disabled_spaces")


def main_entrance(place: Place) -> Any:
    entrances = list(place.entrances.all())
    return next((e for e in entrances if e.is_main), entrances[0] if entrances else None)


def measured_values(obj: Model) -> list[dict[str, Any]]:
    """The known values of ``obj`` with labels and units, in form order; unknowns are left out."""
    kind = kind_of(obj)
    rows = [
        _row(kind, name, getattr(obj, name))
        for name in value_fields(obj)
        if getattr(obj, name) not in (None, "")
    ]
    if isinstance(obj, Place):
        entrance = main_entrance(obj)
        if entrance is not None:
            rows += [
                _row("entrance", name, getattr(entrance, name))
                for name in ENTRANCE_FIELDS
                if getattr(entrance, name) is not None
            ]
    return rows


def _row(kind: str, name: str, value: Any) -> dict[str, Any]:
    spec = field_spec(kind, name)
    return {
        "field": name,
        "label": spec["label"],
        "value": value if isinstance(value, bool | int | float | str) else str(value),
        "display": display_value(kind, name, value),
    }


def correctable_fields(obj: Model) -> list[dict[str, Any]]:
    """Measurements a validator may correct (numbers only: choices are agreed or disputed)."""
    kind = kind_of(obj)
    specs = []
    for name in value_fields(obj):
        spec = field_spec(kind, name)
        if spec["type"] in NUMERIC_TYPES:
            specs.append({**spec, "current": getattr(obj, name)})
    return specs


def photos_by_target(objs: Iterable[Observation]) -> dict[tuple[int, int], list[str]]:
    """Photo URLs keyed by (content type id, object id), one query per model."""
    by_model: dict[type[Model], list[int]] = {}
    for obj in objs:
        by_model.setdefault(type(obj), []).append(obj.pk)
    urls: dict[tuple[int, int], list[str]] = {}
    for model, ids in by_model.items():
        content_type = ContentType.objects.get_for_model(model)
        photos = Photo.objects.filter(
            content_type=content_type, object_id__in=ids, deleted_at__isnull=True
        ).order_by("uploaded_at")
        for photo in photos:
            urls.setdefault((content_type.pk, photo.object_id), []).append(photo.image.url)
    return urls


def photos_for(obj: Observation, index: dict[tuple[int, int], list[str]]) -> list[str]:
    return index.get((ContentType.objects.get_for_model(type(obj)).pk, obj.pk), [])


def geometry(obj: Observation) -> dict[str, Any]:
    geom = obj.geom  # type: ignore[attr-defined]
    if geom.geom_type == "Point":  # the common case, without a round trip through OGR
        return {"type": "Point", "coordinates": [geom.x, geom.y]}
    return json.loads(geom.geojson)  # type: ignore[no-any-return]


def summary(obj: Observation) -> dict[str, Any]:
    """What every list in the app shows about a contribution."""
    kind = kind_of(obj)
    return {
        "model": kind,
        "id": obj.pk,
        "url": api_url(obj),
        "page": reverse("volunteer:edit", args=[kind, obj.pk]),
        "version": obj.version,
        "title": title(obj),
        "status": obj.status,
        "status_label": obj.get_status_display(),  # type: ignore[attr-defined]
        "confidence": obj.confidence,
        "votes": {
            "agree": obj.agree_count,
            "disagree": obj.disagree_count,
            "unsure": obj.unsure_count,
        },
        "observer_name": obj.observer.public_name if obj.observer_id else None,  # type: ignore[attr-defined]
        "observed_at": obj.observed_at.isoformat(),
        "last_checked_at": (obj.last_verified_at or obj.observed_at).isoformat(),
        "values": measured_values(obj),
        "geometry": geometry(obj),
    }
