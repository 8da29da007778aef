"""Per-row validation: geometry and coordinate checks, then the model's own field rules."""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache
from typing import Any

from django.contrib.gis.geos import GEOSGeometry, Point
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.base import ModelState

from importers.errors import RowError
from importers.records import Geometry, LonLat, Record
from modugil.errors import InvalidInput
from modugil.geo import WGS84, _iter_coords, check_geometry, coordinate_problem

GEOMETRY_TYPES: dict[str, tuple[str, ...]] = {
    "place": ("Point",),
    "accessibilityfeature": ("Point", "LineString"),
    "disabledparkingspot": ("Point", "Polygon", "MultiPolygon"),
    "streetaccessscore": ("LineString", "MultiLineString"),
}
# Fields the importer never takes from a file: the crowd, officials and the loader set them.
NOT_FROM_FILES = (
    "geom",
    "observer",
    "confidence",
    "source",
    "place",
    "source_dataset",
    "source_ref",
)

Bbox = tuple[float, float, float, float]


def _point_problem(x: float, y: float) -> str | None:
    """What check_geometry would say about a point, without GEOS round trips."""
    if not (math.isfinite(x) and math.isfinite(y)):
        return "Coordinates are not numbers."
    return coordinate_problem(x, y)


def _geometry_errors(
    geom: Geometry | None, allowed: tuple[str, ...], check_area: bool
) -> tuple[Geometry | None, list[str]]:
    if geom is None:
        return None, ["No location."]
    fast = check_area and "Point" in allowed and geom.srid in (None, WGS84)
    if isinstance(geom, LonLat):
        if not fast:
            return _geometry_errors(geom.to_geos(), allowed, check_area)
        problem = _point_problem(geom.x, geom.y)
        return (None, [problem]) if problem else (geom, [])
    if fast and isinstance(geom, Point):
        problem = _point_problem(geom.x, geom.y)
        geom.srid = WGS84
        return (None, [problem]) if problem else (geom, [])
    try:
        if check_area:
            return check_geometry(geom, allowed_types=allowed), []
        return _check_without_area(geom, allowed), []
    except InvalidInput as e:
        return None, [m for messages in e.fields.values() for m in messages] or [e.message]


def _check_without_area(geom: GEOSGeometry, allowed: tuple[str, ...]) -> GEOSGeometry:
    """Everything ``check_geometry`` checks except the service area (foreign reference data)."""
    if geom.geom_type not in allowed:
        msg = f"Geometry type {geom.geom_type} is not allowed here; expected {', '.join(allowed)}."
        raise InvalidInput(msg, fields={"geom": [msg]})
    if geom.srid not in (None, WGS84):
        geom = geom.transform(WGS84, clone=True)
    geom.srid = WGS84
    if geom.empty:
        raise InvalidInput("Empty geometry.", fields={"geom": ["Geometry is empty."]})
    for lon, lat in _iter_coords(geom.coords):  # type: ignore[attr-defined]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            msg = f"Coordinates out of range: lon={lon}, lat={lat}."
            raise InvalidInput(msg, fields={"geom": [msg]})
        if lon == 0 and lat == 0:
            msg = "Coordinates 0,0 are a missing location, not a place."
            raise InvalidInput(msg, fields={"geom": [msg]})
    if not geom.valid:
        msg = f"Invalid geometry: {geom.valid_reason}."
        raise InvalidInput(msg, fields={"geom": [msg]})
    return geom


@cache
def _defaults(
    model: type[models.Model],
) -> tuple[dict[str, Any], tuple[tuple[str, Callable[[], Any]], ...]]:
    """(constant defaults, callable defaults such as ``timezone.now`` or ``dict``)."""
    fields = model._meta.concrete_fields
    dynamic = tuple((f.attname, f.get_default) for f in fields if callable(f.default))
    constant = {f.attname: f.get_default() for f in fields if not callable(f.default)}
    return constant, dynamic


def new_instance(model: type[models.Model], values: dict[str, Any]) -> models.Model:
    """An unsaved instance: the defaults, then ``values``.

    What ``Model.__init__`` does for keyword arguments, without its per-call bookkeeping: it
    costs more than all the checks below on a million-row file. (The mapping models have no
    init signals; ``tests/importers/test_loader.py`` compares both ways.)
    """
    obj = model.__new__(model)
    obj._state = ModelState()
    state = obj.__dict__
    constant, dynamic = _defaults(model)
    state.update(constant)
    for attname, default in dynamic:
        state[attname] = default()
    for name, value in values.items():
        setattr(obj, name, value)
    return obj


def clean_given(instance: models.Model, values: dict[str, Any]) -> dict[str, list[str]]:
    """``Model.clean_fields`` for the fields a file gives (the others keep their defaults)."""
    errors: dict[str, list[str]] = {}
    meta = instance._meta
    for name in values:
        if name in NOT_FROM_FILES:
            continue
        field = meta.get_field(name)
        raw = getattr(instance, field.attname)  # type: ignore[union-attr]
        if field.blank and raw in field.empty_values:  # type: ignore[union-attr]
            continue
        try:
            setattr(instance, field.attname, field.clean(raw, instance))  # type: ignore[union-attr]
        except ValidationError as e:
            errors[name] = list(e.messages)
    return errors


def in_bbox(geom: Geometry, bbox: Bbox) -> bool:
    lon_min, lat_min, lon_max, lat_max = bbox
    x_min, y_min, x_max, y_max = geom.extent
    return lon_min <= x_min and x_max <= lon_max and lat_min <= y_min and y_max <= lat_max


def validate(record: Record, *, check_area: bool, expected_bbox: Bbox | None = None) -> Record:
    """Check the location and the model's field rules; raise ``RowError`` naming the fields.

    Builds the (unsaved) model instance the loader writes, so every value is checked by the
    same validators the API uses. ``expected_bbox`` only flags rows (a Seoul dataset listing a
    Daejeon toilet is odd, not wrong).
    """
    errors: dict[str, list[str]] = {}
    allowed = GEOMETRY_TYPES[record.model._meta.model_name or ""]
    geom, geom_errors = _geometry_errors(record.geom, allowed, check_area)
    if geom_errors:
        errors["geom"] = geom_errors
    record.geom = geom
    instance = new_instance(record.model, record.values)
    for name, messages in clean_given(instance, record.values).items():
        errors.setdefault(name, []).extend(messages)
    for name, messages in instance.cross_field_errors().items():  # type: ignore[attr-defined]
        errors.setdefault(name, []).extend(messages)
    if errors:
        raise RowError(errors)
    if expected_bbox and geom is not None and not in_bbox(geom, expected_bbox):
        record.flags.append("outside_expected_area")
    record.instance = instance
    return record
