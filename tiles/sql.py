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
``thin_points_below_zoom``: one feature per grid cell, the lowest id; see
:func:`thinning_picks`)::

    SELECT ST_AsMVT(t.*, 'features', 4096, 'mvt_geom', 'id') FROM (
        SELECT r.id, r.kerb, ..., ST_AsMVTGeom(ST_Transform(r.source_geom, 3857),
            ST_MakeEnvelope(<tile>, 3857), 4096, 64, true) AS mvt_geom
        FROM (
            SELECT f.id, NULLIF(f.kerb, '') AS kerb, ..., f.source_geom FROM (
                SELECT id, kerb, ..., geom AS source_geom FROM mapping_accessibilityfeature
                WHERE deleted_at IS NULL AND ... AND id IN (
                    SELECT min(p._pick) FROM (
                        -- index-only: one range scan of tiles_feature_grid per key range
                        SELECT s._grid_key >> <2 * (24 - 19)> AS cell, s._pick
                        FROM unnest(<lows>, <highs>) AS r(lo, hi) CROSS JOIN LATERAL (
                            SELECT tiles_grid_key(geom, 32) AS _grid_key, id AS _pick
                            FROM mapping_accessibilityfeature
                            WHERE deleted_at IS NULL AND ... AND (geom && <box>) IS TRUE
                              AND tiles_grid_key(geom, 32) >= r.lo
                              AND tiles_grid_key(geom, 32) < r.hi OFFSET 0) AS s
                        UNION ALL  -- the few features too large for a key, by geometry
                        SELECT tiles_grid_key(geom, 16777216) >> <...>, id
                        FROM mapping_accessibilityfeature
                        WHERE deleted_at IS NULL AND ... AND tiles_grid_key(geom, 32) IS NULL
                          AND geom && <box> AND (geom @ <box> OR ST_Intersects(geom, <box>))
                    ) AS p GROUP BY p.cell)
            ) AS f
        ) AS r
    ) AS t

Unthinned tiles read the features with the tile filter directly (no ``id IN``).
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
    BigIntegerField,
    BooleanField,
    CharField,
    F,
    Func,
    Model,
    Q,
    QuerySet,
    TextField,
)
from django.db.models.expressions import RawSQL

from modugil.geo import WGS84
from tiles.layer import ComputedLayer, LayerParams, MapLayer, Slot
from tiles.tilegrid import BUFFER, EXTENT, GRID_LEVEL, GRID_SMALL_SPAN_PX, MERCATOR_SRID, Tile

MVT_GEOM = "mvt_geom"
SOURCE_GEOM = "source_geom"
THIN_WORK_MEM = "32MB"
_ENVELOPE = f"ST_MakeEnvelope(%s, %s, %s, %s, {MERCATOR_SRID})"


# The tile's box for ST_AsMVTGeom, as one ``box2d`` parameter.
TILE_BOX = Slot("tile_box")
SEARCH = tuple(Slot(f"search{i}") for i in range(4))
# The tile plus buffer in WGS84, as one ``geometry`` parameter (EWKT).
SEARCH_WGS84 = Slot("search_wgs84")
TOLERANCE = Slot("tolerance")
# Thinning: the grid-key ranges to read (two ``bigint[]``) and the shift from a key to its cell.
KEY_LOWS, KEY_HIGHS, CELL_SHIFT = Slot("key_lows"), Slot("key_highs"), Slot("cell_shift")


def _mercator_box(slots: tuple[Slot, ...]) -> RawSQL:
    # Fixed SQL text; the tile's numbers are parameters.
    return RawSQL(_ENVELOPE, slots, output_field=GeometryField(srid=MERCATOR_SRID))  # noqa: S611


class GridKey(Func):
    """``tiles_grid_key(geom, <bound>)`` (migration 0003): the level-24 Morton key of the
    bounding box's north-west corner; NULL for a box more than ``max_span_px`` across. The
    default bound is the one the ``tiles_feature_grid`` index was built with (a literal, so
    the planner matches the index expression)."""

    output_field = BigIntegerField()

    def __init__(self, geom: F, max_span_px: int = GRID_SMALL_SPAN_PX) -> None:
        super().__init__(geom, template=f"tiles_grid_key(%(expressions)s, {int(max_span_px)})")


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


def _search_box() -> RawSQL:
    return RawSQL("%s::geometry", (SEARCH_WGS84,), output_field=GeometryField(srid=WGS84))


def _in_tile(layer: MapLayer, features: QuerySet, field: GeometryField) -> QuerySet:
    """Features touching the tile slot (plus buffer), filtered in the table's SRID.

    In WGS84 the tile is an axis-aligned rectangle, computed in Python and sent as one typed
    parameter (a prepared statement's generic plan then holds no per-row transform). A feature
    whose bounding box lies inside it (``@``, a comparison of boxes) touches it, so
    ``ST_Intersects`` only runs for lines and polygons crossing the tile's edge (it costs more
    than reading the row). Other SRIDs transform the mercator box in SQL.
    """
    geom = layer.geom_field
    if field.srid != WGS84:
        return features.filter(**{f"{geom}__intersects": _mercator_box(SEARCH)})
    box = _search_box()
    inside = BoxInside(F(geom), box)
    in_tile = features.filter(**{f"{geom}__bboverlaps": box})
    return in_tile.filter(Q(inside) | Q(**{f"{geom}__intersects": box}))


def thinning_picks(layer: MapLayer, features: QuerySet, field: GeometryField) -> RawSQL:
    """The primary keys a thinned tile keeps: per grid cell, the lowest among the features
    the layer shows whose bounding box touches the tile (plus buffer).

    A feature's cell is the cell of its bounding box's north-west corner in a Web Mercator
    grid nested across zooms (:meth:`Tile.thinning_level`). Small features (nearly all) are
    read from the ``tiles_feature_grid`` index alone: a tile and its cells are ranges of keys,
    so the pass is an index-only scan over the key ranges of the tile (one index descent per
    range), no table row is read. Larger features, whose corner may lie outside those ranges,
    are found by geometry through their own small index.
    """
    if field.srid != WGS84:
        msg = f"Map layer {layer.name}: thinning needs a WGS84 geometry column."
        raise TypeError(msg)
    geom = F(layer.geom_field)
    range_bound = {
        f"_grid_key__{op}": RawSQL(f"r.{end}", (), output_field=BigIntegerField())  # noqa: S611
        for op, end in (("gte", "lo"), ("lt", "hi"))
    }
    small = (
        features.annotate(_grid_key=GridKey(geom))
        .filter(BoxOverlaps(geom, _search_box()), **range_bound)
        .order_by()
        .values("_grid_key", _pick=F("pk"))
    )
    large = _in_tile(
        layer, features.annotate(_grid_key=GridKey(geom)).filter(_grid_key__isnull=True), field
    )
    large = large.annotate(_grid_corner=GridKey(geom, 1 << GRID_LEVEL)).order_by()
    large = large.values("_grid_corner", _pick=F("pk"))
    small_sql, small_params = small.query.sql_with_params()
    large_sql, large_params = large.query.sql_with_params()
    # OFFSET 0 keeps the key a column of the index-only scan (flattened, the grouping would
    # compute it again from the geometry for every row).
    sql = (
        "SELECT min(p._pick) FROM ("  # noqa: S608 - Django-compiled
        "SELECT s._grid_key >> %s AS cell, s._pick "
        "FROM unnest(%s::bigint[], %s::bigint[]) AS r(lo, hi) "
        f"CROSS JOIN LATERAL ({small_sql} OFFSET 0) AS s "
        f"UNION ALL SELECT l._grid_corner >> %s, l._pick FROM ({large_sql}) AS l"
        ") AS p GROUP BY p.cell"
    )
    params = (CELL_SHIFT, KEY_LOWS, KEY_HIGHS, *small_params, CELL_SHIFT, *large_params)
    return RawSQL(sql, params)  # noqa: S611


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
        in_tile = features.filter(pk__in=thinning_picks(layer, features, field))
    else:
        in_tile = _in_tile(layer, features, field)
    stored = [name for name in layer.attributes if name not in layer.derived]
    return (
        in_tile.annotate(**{SOURCE_GEOM: F(layer.geom_field)})
        .values(*stored, *layer.helper_columns, SOURCE_GEOM)
        .order_by()
    )


def _columns(layer: MapLayer, model: type[Model]) -> tuple[str, str]:
    """Attribute columns for the two wrapping levels: blank text becomes NULL there, so that
    "unknown" is absent from the tile rather than an empty string."""
    text_fields = {f.name for f in model._meta.get_fields() if isinstance(f, CharField | TextField)}
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
    thin: bool  # groups many rows: run with more working memory
    params: tuple[Any, ...]  # with ``Slot`` placeholders
    geographic: bool  # the geometry column is in degrees (tolerance and grid units)


@lru_cache(maxsize=256)
def compile_tile(
    layer: MapLayer, params: tuple[tuple[str, str], ...], *, simplify: bool, thin: bool
) -> CompiledTile:
    """``SELECT ST_AsMVT(...)`` for one layer variant, compiled once per process.

    Thinning keeps one feature per grid cell *before* the tile geometry is computed (a
    ``DISTINCT ON`` subquery is never flattened), so crowded low-zoom tiles skip most of the
    projecting and clipping. Rows whose geometry clips away to NULL are skipped by ST_AsMVT.
    """
    field = _geometry_field(layer, params)
    queryset = tile_queryset(layer, dict(params), field, thin=thin)
    inner_sql, inner_params = queryset.query.sql_with_params()
    inner_columns, outer_columns = _columns(layer, queryset.model)
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
        thin,
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
        values[CELL_SHIFT] = 2 * (GRID_LEVEL - tile.thinning_level())
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
    if not compiled.thin:
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
        cursor.execute(sql, params, prepare=True)
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
        f"SELECT {', '.join(columns)}, ST_AsMVTGeom({geom}, {_ENVELOPE}, %s, %s, true) "  # noqa: S608
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
