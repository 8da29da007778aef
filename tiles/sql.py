"""The one SQL wrapper that turns a layer's queryset into a Mapbox Vector Tile.

The layer's ORM queryset selects and filters features; this module adds, as parameters only:

* the tile filter ``ST_Intersects(geom, ST_Transform(<tile envelope in 3857>, <table SRID>))``:
  the envelope is transformed once (a constant the planner folds), so the comparison runs in
  the table's own SRID and the GiST index on ``geom`` is used (GeoDjango adds the transform);
* zoom-dependent simplification of lines and polygons in the table's SRID, before the
  transform (fewer vertices to project), and thinning of crowded points at low zooms;
* ``ST_AsMVTGeom`` (clip to the tile plus a buffer, quantise to the 4096 grid) and
  ``ST_AsMVT`` around the compiled queryset.

Compiling a queryset costs milliseconds, more than a small tile takes to build. So each layer
variant is compiled once with placeholder slots for the tile's values, and every request only
fills the slots. Layers must therefore be pure in time: ``Now()`` in SQL, never
``timezone.now()`` in Python (the compiled SQL is reused).

Reference query for a point layer at 16/55886/25381::

    SELECT ST_AsMVT(t.*, 'features', 4096, 'mvt_geom', 'id') FROM (
        SELECT f.id, NULLIF(f.kerb, '') AS kerb, ..., f.mvt_geom FROM (
            SELECT id, kerb, ..., ST_AsMVTGeom(ST_Transform(geom, 3857),
                ST_MakeEnvelope(<tile>, 3857), 4096, 64, true) AS mvt_geom
            FROM mapping_accessibilityfeature
            WHERE deleted_at IS NULL AND ... AND ST_Intersects(geom,
                ST_Transform(ST_MakeEnvelope(<tile + buffer>, 3857), 4326))
        ) AS f
    ) AS t
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.db.models.functions import GeoFunc, Transform
from django.db import connection
from django.db.models import CharField, F, FloatField, Model, QuerySet, TextField, Value
from django.db.models.expressions import Combinable, RawSQL

from tiles.layer import LayerParams, MapLayer
from tiles.tilegrid import BUFFER, EXTENT, MERCATOR_SRID, THIN_UNITS, Tile

MVT_GEOM = "mvt_geom"
_ENVELOPE = f"ST_MakeEnvelope(%s, %s, %s, %s, {MERCATOR_SRID})"


@dataclass(frozen=True)
class Slot:
    """A placeholder parameter, filled per request with a tile's value."""

    name: str


BOUNDS = tuple(Slot(f"bounds{i}") for i in range(4))
SEARCH = tuple(Slot(f"search{i}") for i in range(4))
TOLERANCE = Slot("tolerance")


class AsMVTGeom(GeoFunc):
    """``ST_AsMVTGeom(geom, bounds, extent, buffer, clip)``: tile-space integer geometry."""

    function = "ST_AsMVTGeom"
    geom_param_pos = (0, 1)
    output_field = GeometryField(srid=0)


class Simplify(GeoFunc):
    """``ST_Simplify(geom, tolerance, true)``: keeps features that would collapse to nothing."""

    function = "ST_Simplify"

    def __init__(self, expression: Any, tolerance: Any) -> None:
        super().__init__(expression, tolerance, Value(True))

    @property
    def output_field(self) -> GeometryField:  # type: ignore[override]
        return GeometryField(srid=self.geo_field.srid)


def _mercator_box(slots: tuple[Slot, ...]) -> RawSQL:
    return RawSQL(_ENVELOPE, slots, output_field=GeometryField(srid=MERCATOR_SRID))


def tile_queryset(layer: MapLayer, params: LayerParams, *, simplify: bool) -> QuerySet:
    """The layer's features inside the tile slot (plus buffer), with their tile-space geometry."""
    features = layer.features(params)
    geom: Combinable = F(layer.geom_field)
    if simplify:
        geom = Simplify(geom, RawSQL("%s", (TOLERANCE,), output_field=FloatField()))
    mvt_geom = AsMVTGeom(
        Transform(geom, MERCATOR_SRID),
        _mercator_box(BOUNDS),
        Value(EXTENT),
        Value(BUFFER),
        Value(True),
    )
    return (
        features.filter(**{f"{layer.geom_field}__intersects": _mercator_box(SEARCH)})
        .annotate(**{MVT_GEOM: mvt_geom})
        .values(*layer.attributes, MVT_GEOM)
        .order_by()
    )


def _columns(layer: MapLayer, model: type[Model]) -> str:
    """The attribute columns; blank text becomes NULL, so "unknown" is simply absent in the tile."""
    text_fields = {f.name for f in model._meta.get_fields() if isinstance(f, CharField | TextField)}
    quote = connection.ops.quote_name  # names come from the layer's code, never from a request
    columns = [
        f"NULLIF(f.{quote(name)}, '') AS {quote(name)}" if name in text_fields else f"f.{quote(name)}"
        for name in layer.attributes
    ]
    return ", ".join([*columns, f"f.{MVT_GEOM}"])


@dataclass(frozen=True)
class CompiledTile:
    sql: str
    params: tuple[Any, ...]  # with ``Slot`` placeholders
    geographic: bool  # the geometry column is in degrees (simplification tolerance unit)


@lru_cache(maxsize=256)
def compile_tile(
    layer: MapLayer, params: tuple[tuple[str, str], ...], *, simplify: bool, thin: bool
) -> CompiledTile:
    """``SELECT ST_AsMVT(...)`` for one layer variant, compiled once per process."""
    queryset = tile_queryset(layer, dict(params), simplify=simplify)
    field = queryset.model._meta.get_field(layer.geom_field)
    assert isinstance(field, GeometryField), f"{layer.name}: {layer.geom_field} is not a geometry"
    inner_sql, inner_params = queryset.query.sql_with_params()
    id_column = "id" if "id" in layer.attributes else None
    distinct = f"DISTINCT ON (ST_SnapToGrid(f.{MVT_GEOM}, %s)) " if thin else ""
    # No "WHERE mvt_geom IS NOT NULL": PostgreSQL would push it down and clip every geometry
    # twice; ST_AsMVT skips rows whose geometry clipped away to NULL.
    rows = f"SELECT {distinct}{_columns(layer, queryset.model)} FROM ({inner_sql}) AS f"  # noqa: S608
    sql = f"SELECT ST_AsMVT(t.*, %s, %s, %s, %s) FROM ({rows}) AS t"  # noqa: S608
    thin_params = (THIN_UNITS,) if thin else ()
    return CompiledTile(
        sql,
        (layer.name, EXTENT, MVT_GEOM, id_column, *thin_params, *inner_params),
        field.geodetic(connection),
    )


def tile_sql(layer: MapLayer, tile: Tile, params: LayerParams) -> tuple[str, list[Any]]:
    """The tile's SQL and parameters: a cached compiled variant with the slots filled in."""
    simplifies = layer.simplify if layer.simplify is not None else layer.geometry != "point"
    simplify = simplifies and tile.z < layer.full_detail_zoom
    thin = layer.geometry == "point" and tile.z < layer.thin_points_below_zoom
    compiled = compile_tile(layer, tuple(params.items()), simplify=simplify, thin=thin)
    values: dict[Slot, Any] = dict(zip(BOUNDS, tile.bounds(), strict=True))
    values.update(zip(SEARCH, tile.bounds(margin_units=BUFFER), strict=True))
    if simplify:
        values[TOLERANCE] = tile.simplify_tolerance(geographic=compiled.geographic)
    return compiled.sql, [values[p] if isinstance(p, Slot) else p for p in compiled.params]


def build_tile(layer: MapLayer, tile: Tile, params: LayerParams) -> bytes:
    """The encoded tile; empty bytes when no feature touches it."""
    sql, sql_params = tile_sql(layer, tile, params)
    with connection.cursor() as cursor:
        cursor.execute(sql, sql_params)
        row = cursor.fetchone()
    return bytes(row[0]) if row and row[0] is not None else b""
