"""Pieces shared by the tile queries: the tile filter (features touching a tile slot plus its
buffer), the columns a tile's rows carry, and which of them are text that may be blank."""

from __future__ import annotations

from django.contrib.gis.db.models import GeometryField
from django.db.models import BooleanField, CharField, F, Func, Model, Q, QuerySet, TextField
from django.db.models.expressions import RawSQL

from modugil.geo import WGS84
from tiles.layer import MapLayer, Slot
from tiles.tilegrid import MERCATOR_SRID

SOURCE_GEOM = "source_geom"
ENVELOPE = f"ST_MakeEnvelope(%s, %s, %s, %s, {MERCATOR_SRID})"
SEARCH = tuple(Slot(f"search{i}") for i in range(4))
# The tile plus buffer in WGS84, as one ``geometry`` parameter (EWKT).
SEARCH_WGS84 = Slot("search_wgs84")


def mercator_box(slots: tuple[Slot, ...]) -> RawSQL:
    # Fixed SQL text; the tile's numbers are parameters.
    return RawSQL(ENVELOPE, slots, output_field=GeometryField(srid=MERCATOR_SRID))  # noqa: S611


class BoxInside(Func):
    """``geom @ box`` (bounding boxes), as a plain filter: written as an indexable operator,
    the planner would OR two index scans and misjudge their rows (then sort, not hash)."""

    template = "((%(expressions)s) IS TRUE)"
    arg_joiner = " @ "
    output_field = BooleanField()


class BoxOverlaps(BoxInside):
    """``geom && box`` as a plain filter on rows another index found (a generic plan would
    otherwise AND a bitmap of the whole tile from the GiST index into every key range)."""

    arg_joiner = " && "


def search_box() -> RawSQL:
    return RawSQL("%s::geometry", (SEARCH_WGS84,), output_field=GeometryField(srid=WGS84))


def in_tile(layer: MapLayer, features: QuerySet, field: GeometryField) -> QuerySet:
    """Features touching the tile slot (plus buffer), filtered in the table's SRID.

    In WGS84 the tile is an axis-aligned rectangle, computed in Python and sent as one typed
    parameter (a prepared statement's generic plan then holds no per-row transform). A feature
    whose bounding box lies inside it (``@``, a comparison of boxes) touches it, so
    ``ST_Intersects`` only runs for lines and polygons crossing the tile's edge (it costs more
    than reading the row). Other SRIDs transform the mercator box in SQL.
    """
    geom = layer.geom_field
    if field.srid != WGS84:
        return features.filter(**{f"{geom}__intersects": mercator_box(SEARCH)})
    box = search_box()
    inside = BoxInside(F(geom), box)
    in_tile = features.filter(**{f"{geom}__bboverlaps": box})
    return in_tile.filter(Q(inside) | Q(**{f"{geom}__intersects": box}))


def row_columns(layer: MapLayer) -> tuple[str, ...]:
    """The ``values()`` columns of a tile's rows: stored attributes, helper columns and the
    source geometry (derived attributes are computed around them)."""
    stored = [name for name in layer.attributes if name not in layer.derived]
    return (*stored, *layer.helper_columns, SOURCE_GEOM)


def blank_text(model: type[Model]) -> set[str]:
    """Text columns of ``model`` that may be blank: a tile carries them as NULL ("unknown" is
    absent, not an empty string). Only those: NULLIF costs ~0.1 µs a row."""
    return {
        f.name for f in model._meta.get_fields() if isinstance(f, CharField | TextField) and f.blank
    }
