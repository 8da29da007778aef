"""The one SQL wrapper that turns a layer's queryset into a Mapbox Vector Tile.

The layer's ORM queryset selects and filters features; this module adds, as parameters only:

* the tile filter ``geom && box AND (geom @ box OR ST_Intersects(geom, box))`` with ``box`` =
  ``ST_Transform(<tile envelope in 3857>, <table SRID>)``: the envelope is transformed once (a
  constant the planner folds), so the comparison runs in the table's own SRID and the GiST
  index on ``geom`` is used; in WGS84 the box is a rectangle, so a feature whose bounding box
  lies inside it needs no ``ST_Intersects`` (other SRIDs keep plain ``ST_Intersects``);
* zoom-dependent simplification of lines and polygons in the table's SRID, before the
  transform (fewer vertices to project), and thinning of crowded points at low zooms;
* ``ST_AsMVTGeom`` (clip to the tile plus a buffer, quantise to the 4096 grid) and
  ``ST_AsMVT`` around the compiled queryset.

Compiling a queryset costs milliseconds, more than a small tile takes to build. So each layer
variant is compiled once with placeholder slots for the tile's values, and every request only
fills the slots. Layers must therefore be pure in time: ``Now()`` in SQL, never
``timezone.now()`` in Python (the compiled SQL is reused).

Reference query for a point layer at 13/6985/3180 (thinned below the layer's
``thin_points_below_zoom``: per grid cell its representative, kept by the database; see
:func:`representatives_sql`)::

    SELECT ST_AsMVT(t.*, 'features', 4096, 'mvt_geom', 'id') FROM (
        SELECT r.id, r.kerb, ..., ST_AsMVTGeom(ST_Transform(r.source_geom, 3857),
            ST_MakeEnvelope(<tile>, 3857), 4096, 64, true) AS mvt_geom
        FROM (
            SELECT f.id, f.kerb, ..., f.source_geom FROM (  -- NULLIF(...) for blank text
                -- index-only: one range scan of tiles_repr_key per key range
                SELECT s.* FROM unnest(<lows>, <highs>) AS r(lo, hi) CROSS JOIN LATERAL (
                    SELECT id, kerb, ..., geom AS source_geom FROM tiles_featurerepresentative
                    WHERE level <= 19 AND small AND (geom && <box>) IS TRUE
                      AND grid_key >= r.lo AND grid_key < r.hi OFFSET 0) AS s
                UNION ALL  -- the few representatives too large for a key, by geometry
                SELECT id, kerb, ..., geom FROM tiles_featurerepresentative
                WHERE level <= 19 AND NOT small AND geom && <box> AND (geom @ <box> OR ...)
                UNION ALL  -- drawn at every zoom: active temporary obstacles
                SELECT id, kerb, ..., geom FROM mapping_accessibilityfeature
                WHERE deleted_at IS NULL AND is_temporary AND expires_at > now() AND ...
            ) AS f
        ) AS r
    ) AS t

Unthinned tiles read the layer's queryset with the tile filter directly.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import psycopg
from django.contrib.gis.db.models import GeometryField
from django.db import connection, transaction
from django.db.models import (
    F,
    Model,
    QuerySet,
)

from modugil.geo import WGS84
from tiles.layer import ComputedLayer, LayerParams, MapLayer, Slot
from tiles.thinning import (
    CELL_SHIFT,
    KEY_HIGHS,
    KEY_LOWS,
    LEVEL,
    THIN_WORK_MEM,
    representatives_sql,
    thinning_picks,
)
from tiles.tile_filter import (
    ENVELOPE,
    SEARCH,
    SEARCH_WGS84,
    SOURCE_GEOM,
    blank_text,
    in_tile,
    row_columns,
)
from tiles.tilegrid import BUFFER, EXTENT, GRID_LEVEL, MERCATOR_SRID, Tile

MVT_GEOM = "mvt_geom"


# The tile's box for ST_AsMVTGeom, as one ``box2d`` parameter.
TILE_BOX = Slot("tile_box")
TOLERANCE = Slot("tolerance")


def tile_queryset(
    layer: MapLayer, params: LayerParams, field: GeometryField, *, thin: bool = False
) -> QuerySet:
    """The layer's features touching the tile slot (plus buffer), with their source geometry.

    ``thin``: one feature per grid cell, the one with the lowest primary key (the oldest, so a
    map shows the same representative on every request): see :func:`thinning_picks`. The
    attributes, which may be costly annotations, are then read for the picked rows only.
    """
    features = layer.features(params)
    if thin:
        touching = features.filter(pk__in=thinning_picks(layer, features, field))
    else:
        touching = in_tile(layer, features, field)
    return (
        touching.annotate(**{SOURCE_GEOM: F(layer.geom_field)})
        .values(*row_columns(layer))
        .order_by()
    )


def _columns(layer: MapLayer, model: type[Model]) -> tuple[str, str]:
    """Attribute columns for the two wrapping levels: blank text becomes NULL there, so that
    "unknown" is absent from the tile rather than an empty string."""
    text_fields = blank_text(model)
    quote = connection.ops.quote_name  # names come from the layer's code, never from a request

    def inner_column(name: str) -> str:
        if name in layer.derived:  # SQL over the queryset's columns (only ``f`` is in scope)
            return f"({layer.derived[name]}) AS {quote(name)}"
        if name in text_fields:
            return f"NULLIF(f.{quote(name)}, '') AS {quote(name)}"
        return f"f.{quote(name)}"

    inner = [inner_column(name) for name in layer.attributes]
    outer = [f"r.{quote(name)}" for name in layer.attributes]
    return ", ".join(inner), ", ".join(outer)


def _geometry_field(layer: MapLayer, params: tuple[tuple[str, str], ...]) -> GeometryField:
    """The geometry's field: a model field, or an annotation (hexagons, centroids...)."""
    field = layer.features(dict(params)).query.resolve_ref(layer.geom_field).output_field
    if not isinstance(field, GeometryField):
        msg = f"Map layer {layer.name}: {layer.geom_field} is not a geometry."
        raise TypeError(msg)
    return field


_PLACEHOLDER = re.compile(r"%([s%])")


def native_placeholders(sql: str) -> str:
    """``%s`` (Django / psycopg style) to PostgreSQL's ``$1, $2...``, ``%%`` to ``%``.

    psycopg rewrites the placeholders of every query it runs and caches the result only for
    short statements; a profile layer's tile query is tens of kilobytes, so that rewriting cost
    a millisecond per request. Compiled once, run with :class:`psycopg.RawCursor`.
    """
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        if match.group(1) == "%":
            return "%"
        count += 1
        return f"${count}"

    return _PLACEHOLDER.sub(replace, sql)


@dataclass(frozen=True)
class CompiledTile:
    sql: str  # with PostgreSQL's native placeholders ($1, $2...)
    groups: bool  # thins by grouping the layer's features: run with more working memory
    params: tuple[Any, ...]  # with ``Slot`` placeholders
    geographic: bool  # the geometry column is in degrees (tolerance and grid units)


@lru_cache(maxsize=256)
def compile_tile(
    layer: MapLayer, params: tuple[tuple[str, str], ...], *, simplify: bool, thin: bool
) -> CompiledTile:
    """``SELECT ST_AsMVT(...)`` for one layer variant, compiled once per process.

    Thinned variants read the layer's representatives (:func:`representatives_sql`), so
    crowded low-zoom tiles neither group nor project the features that lose their cell. Rows
    whose geometry clips away to NULL are skipped by ST_AsMVT.
    """
    field = _geometry_field(layer, params)
    representatives = layer.representatives if thin else None
    groups = thin and representatives is None
    model: type[Model]
    if representatives is not None:
        inner_sql, inner_params = representatives_sql(layer, dict(params), field)
        model = representatives
    else:
        queryset = tile_queryset(layer, dict(params), field, thin=thin)
        inner_sql, inner_params = queryset.query.sql_with_params()
        model = queryset.model
    inner_columns, outer_columns = _columns(layer, model)
    # Derived attributes read the queryset's columns several times: OFFSET 0 keeps PostgreSQL
    # from flattening the subquery, which would copy each column's expression into every use.
    fence = " OFFSET 0" if layer.derived else ""
    rows = (
        f"SELECT {inner_columns}, f.{SOURCE_GEOM} "  # noqa: S608 - Django-compiled
        f"FROM ({inner_sql}{fence}) AS f"
    )
    # Identifiers come from code; values are parameters. Simplification (in the table's SRID,
    # before projecting) and clipping run on the rows left after thinning only.
    geom = f"r.{SOURCE_GEOM}"
    if simplify:
        geom = f"ST_Simplify({geom}, %s, true)"
    tile_rows = (
        f"SELECT {outer_columns}, ST_AsMVTGeom(ST_Transform({geom}, {MERCATOR_SRID}), "  # noqa: S608
        f"%s::box2d, %s, %s, true) AS {MVT_GEOM} FROM ({rows}) AS r"
    )
    sql = f"SELECT ST_AsMVT(t.*, %s, %s, %s, %s) FROM ({tile_rows}) AS t"  # noqa: S608
    id_column = "id" if "id" in layer.attributes else None
    return CompiledTile(
        native_placeholders(sql),
        groups,
        (
            *(layer.name, EXTENT, MVT_GEOM, id_column),
            *((TOLERANCE,) if simplify else ()),
            *(TILE_BOX, EXTENT, BUFFER),
            *inner_params,
        ),
        field.geodetic(connection),
    )


def tile_sql(
    layer: MapLayer, tile: Tile, params: LayerParams, version: str | None = None
) -> tuple[CompiledTile, list[Any]]:
    """The compiled variant for this tile and its parameters, with the slots filled in
    (``version``: the layer's version if the caller read it, for layers' own slots)."""
    simplifies = layer.simplify if layer.simplify is not None else layer.geometry != "point"
    simplify = simplifies and tile.z < layer.full_detail_zoom
    thin = layer.geometry == "point" and tile.z < layer.thin_points_below_zoom
    compiled = compile_tile(layer, tuple(params.items()), simplify=simplify, thin=thin)
    values: dict[Slot, Any] = {
        TILE_BOX: "BOX({!r} {!r},{!r} {!r})".format(*tile.bounds()),
        SEARCH_WGS84: "SRID={}; POLYGON(({!r} {!r},{!r} {!r},{!r} {!r},{!r} {!r},{!r} {!r}))".format(
            WGS84, *_ring(tile.lonlat_bounds(margin_units=BUFFER))
        ),
        **dict(zip(SEARCH, tile.bounds(margin_units=BUFFER), strict=True)),
    }
    if simplify:
        values[TOLERANCE] = tile.simplify_tolerance(geographic=compiled.geographic)
    if thin:
        values[KEY_LOWS], values[KEY_HIGHS] = tile.grid_key_ranges()
        values[LEVEL] = tile.thinning_level()
        values[CELL_SHIFT] = 2 * (GRID_LEVEL - values[LEVEL])
    values.update(layer.slot_values(params, version))
    return compiled, [values[p] if isinstance(p, Slot) else p for p in compiled.params]


def _ring(bounds: tuple[float, float, float, float]) -> tuple[float, ...]:
    xmin, ymin, xmax, ymax = bounds
    return (xmin, ymin, xmin, ymax, xmax, ymax, xmax, ymin, xmin, ymin)


def build_tile(
    layer: MapLayer, tile: Tile, params: LayerParams, version: str | None = None
) -> bytes:
    """The encoded tile; empty bytes when no feature touches it."""
    if isinstance(layer, ComputedLayer):
        return _computed_tile(layer, tile, params)
    compiled, sql_params = tile_sql(layer, tile, params, version)
    if not compiled.groups:
        return _fetch_tile(compiled.sql, sql_params)
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Thinning groups every feature of a crowded tile: in a hash table in memory (the
            # planner cannot estimate the number of cells and would otherwise sort).
            cursor.execute(
                "SELECT set_config('work_mem', %s, true), set_config('enable_sort', 'off', true)",
                [THIN_WORK_MEM],
            )
        return _fetch_tile(compiled.sql, sql_params)


def _fetch_tile(sql: str, params: list[Any]) -> bytes:
    """Run a tile query (native placeholders) as a prepared statement with server-side
    binding: parsing and planning the query again on every request cost more than running it
    for small tiles, and formatting the parameters into the text cost as much in Python."""
    connection.ensure_connection()
    with psycopg.RawCursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True, binary=True)
        row = cursor.fetchone()
    return bytes(row[0]) if row and row[0] is not None else b""


# SQL types a computed layer may declare for its attributes (cast from the JSON values).
COMPUTED_TYPES = frozenset({"integer", "bigint", "double precision", "text", "boolean"})


def computed_tile_sql(layer: ComputedLayer) -> str:
    """``SELECT ST_AsMVT(...)`` over rows handed in as one JSON array parameter."""
    quote = connection.ops.quote_name
    columns = []
    for name in layer.attributes:
        sql_type = layer.attribute_types[name]
        if sql_type not in COMPUTED_TYPES:
            msg = f"Map layer {layer.name}: {name} has an unsupported type {sql_type!r}."
            raise TypeError(msg)
        columns.append(f"(f.row ->> %s)::{sql_type} AS {quote(name)}")
    geom = (
        f"ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(f.row -> 'geometry'), 4326), {MERCATOR_SRID})"
    )
    rows = (
        f"SELECT {', '.join(columns)}, ST_AsMVTGeom({geom}, {ENVELOPE}, %s, %s, true) "  # noqa: S608
        f"AS {MVT_GEOM} FROM jsonb_array_elements(%s::jsonb) AS f(row)"
    )
    return f"SELECT ST_AsMVT(t.*, %s, %s, %s, %s) FROM ({rows}) AS t"  # noqa: S608 - from code


def _computed_tile(layer: ComputedLayer, tile: Tile, params: LayerParams) -> bytes:
    rows = layer.rows(params, tile.lonlat_bounds(margin_units=BUFFER), tile.z)
    if not rows:
        return b""
    id_column = "id" if "id" in layer.attributes else None
    sql_params = [
        *(layer.name, EXTENT, MVT_GEOM, id_column),
        *layer.attributes,
        *tile.bounds(),
        *(EXTENT, BUFFER),
        json.dumps(rows, separators=(",", ":"), ensure_ascii=False),
    ]
    return _fetch_tile(native_placeholders(computed_tile_sql(layer)), sql_params)


def feature_rows(layer: MapLayer, params: LayerParams, queryset: QuerySet) -> list[dict[str, Any]]:
    """Run a ``values()`` queryset derived from ``layer.features(params)`` with the layer's own
    slots filled (what its tiles are built from, as rows: for checks and debugging)."""
    sql, sql_params = queryset.query.sql_with_params()
    slots = layer.slot_values(params)
    filled = [slots[p] if isinstance(p, Slot) else p for p in sql_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, filled)
        columns = [c.name for c in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
