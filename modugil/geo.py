"""CRS conventions and coordinate sanity checks: the one place they are written down.

Storage and API: WGS84 (EPSG:4326), GeoJSON axis order longitude, latitude.
Metric work: EPSG:5179 (Korea 2000 / Unified CS) via ``settings.METRIC_SRID``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry, Point
from django.utils.translation import gettext as _

from modugil.errors import InvalidInput

WGS84 = 4326


def _iter_coords(coords: object) -> Iterable[tuple[float, float]]:
    """Flatten GEOS ``.coords`` (nested tuples of any depth) into (x, y) pairs."""
    if isinstance(coords, tuple) and coords and isinstance(coords[0], int | float):
        yield (float(coords[0]), float(coords[1]))
        return
    for part in coords:  # type: ignore[attr-defined]
        yield from _iter_coords(part)


def in_service_area(lon: float, lat: float) -> bool:
    lon_min, lat_min, lon_max, lat_max = settings.SERVICE_AREA
    return lon_min <= lon <= lon_max and lat_min <= lat <= lat_max


def coordinate_problem(lon: float, lat: float) -> str | None:
    """Explain what is wrong with a lon/lat pair, or ``None`` when it is plausible."""
    if not (-180 <= lon <= 180) or not (-90 <= lat <= 90):
        if -90 <= lon <= 90 and -180 <= lat <= 180 and in_service_area(lat, lon):
            return _(
                "Coordinates look swapped: give longitude first (got lon=%(lon)s, lat=%(lat)s)."
            ) % {
                "lon": lon,
                "lat": lat,
            }
        return _("Coordinates out of range: lon=%(lon)s, lat=%(lat)s.") % {"lon": lon, "lat": lat}
    if lon == 0 and lat == 0:
        return _("Coordinates 0,0 are a missing location, not a place in the service area.")
    if not in_service_area(lon, lat):
        if in_service_area(lat, lon):
            return _(
                "Coordinates look swapped: give longitude first (got lon=%(lon)s, lat=%(lat)s)."
            ) % {
                "lon": lon,
                "lat": lat,
            }
        return _("Coordinates lon=%(lon)s, lat=%(lat)s are outside the service area %(area)s.") % {
            "lon": lon,
            "lat": lat,
            "area": settings.SERVICE_AREA,
        }
    return None


def check_geometry(
    geom: GEOSGeometry, *, allowed_types: tuple[str, ...], field: str = "geom"
) -> GEOSGeometry:
    """Validate a submitted geometry; return it in WGS84 or raise ``InvalidInput`` naming the field."""
    if geom.geom_type not in allowed_types:
        raise InvalidInput(
            _("Geometry type %(type)s is not allowed here.") % {"type": geom.geom_type},
            fields={
                field: [_("Expected one of: %(types)s.") % {"types": ", ".join(allowed_types)}]
            },
        )
    if geom.srid not in (None, WGS84):
        geom = geom.transform(WGS84, clone=True)
    geom.srid = WGS84
    if geom.empty:
        raise InvalidInput(_("Empty geometry."), fields={field: [_("Geometry is empty.")]})
    for lon, lat in _iter_coords(geom.coords):  # type: ignore[attr-defined]
        problem = coordinate_problem(lon, lat)
        if problem:
            raise InvalidInput(problem, fields={field: [problem]})
    if not geom.valid:
        reason = geom.valid_reason
        raise InvalidInput(
            _("Invalid geometry: %(reason)s.") % {"reason": reason},
            fields={field: [_("Invalid: %(reason)s.") % {"reason": reason}]},
        )
    return geom


def point(lon: float, lat: float) -> Point:
    return Point(lon, lat, srid=WGS84)


def parse_bbox(text: str, *, field: str = "bbox") -> tuple[float, float, float, float]:
    """Parse ``lon_min,lat_min,lon_max,lat_max``; raise ``InvalidInput`` naming ``field``."""
    try:
        lon_min, lat_min, lon_max, lat_max = (float(p) for p in text.split(","))
    except ValueError as e:
        msg = _("Expected lon_min,lat_min,lon_max,lat_max.")
        raise InvalidInput(msg, fields={field: [msg]}) from e
    if not (-180 <= lon_min <= lon_max <= 180 and -90 <= lat_min <= lat_max <= 90):
        msg = _("Bounding box out of range or min > max (lon_min,lat_min,lon_max,lat_max).")
        raise InvalidInput(msg, fields={field: [msg]})
    return lon_min, lat_min, lon_max, lat_max
