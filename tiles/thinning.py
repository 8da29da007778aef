"""Thinning: one point per grid cell on low-zoom tiles, from a representatives table the
database keeps (:func:`representatives_sql`) or by grouping the layer's features per request
(:func:`thinning_picks`, for layers whose features depend on the request's filters)."""

from __future__ import annotations

from typing import Any

from django.contrib.gis.db.models import GeometryField
from django.db import connection
from django.db.models import BigIntegerField, CharField, F, Func, Model, QuerySet
from django.db.models.expressions import RawSQL

from modugil.geo import WGS84
from tiles.layer import LayerParams, MapLayer, Slot
from tiles.tile_filter import SOURCE_GEOM, BoxOverlaps, in_tile, search_box
from tiles.tilegrid import GRID_LEVEL, GRID_SMALL_SPAN_PX

# Grouping a crowded tile's features per cell needs this much memory to hash them.
THIN_WORK_MEM = "32MB"
# Thinning: the grid-key ranges to read (two ``bigint[]``), the tile's thinning level and the
# shift from a key to its cell.
KEY_LOWS, KEY_HIGHS = Slot("key_lows"), Slot("key_highs")
LEVEL, CELL_SHIFT = Slot("level"), Slot("cell_shift")


class GridKey(Func):
    """``tiles_grid_key(geom, <bound>)`` (migration 0003): the level-24 Morton key of the
    bounding box's north-west corner; NULL for a box more than ``max_span_px`` across (a
    literal, so that the planner can match an index on the expression)."""

    output_field = BigIntegerField()

    def __init__(self, geom: F, max_span_px: int = GRID_SMALL_SPAN_PX) -> None:
        super().__init__(geom, template=f"tiles_grid_key(%(expressions)s, {int(max_span_px)})")


def thinning_picks(layer: MapLayer, features: QuerySet, field: GeometryField) -> RawSQL:
    """The primary keys a thinned tile keeps: per grid cell, the lowest among the features
    the layer shows whose bounding box touches the tile (plus buffer).

    A feature's cell is the cell of its bounding box's north-west corner in a Web Mercator
    grid nested across zooms (:meth:`Tile.thinning_level`). Small features (nearly all) are
    read by key: a tile and its cells are ranges of keys (with an index on ``GridKey`` the
    pass is an index-only scan, one descent per range). Larger features, whose corner may lie
    outside those ranges, are found by geometry. Used by layers whose features depend on the
    request (the officials' violation points and their filters); a layer with fixed features
    reads a representatives table instead (:func:`representatives_sql`), cheaper by the
    grouping and by fetching the winners row by row.
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
        .filter(BoxOverlaps(geom, search_box()), **range_bound)
        .order_by()
        .values("_grid_key", _pick=F("pk"))
    )
    large = in_tile(
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


def representatives_sql(
    layer: MapLayer, params: LayerParams, field: GeometryField
) -> tuple[str, tuple[Any, ...]]:
    """The rows of a thinned tile: the layer's representatives (one per grid cell, kept by the
    database: :class:`tiles.models.FeatureRepresentative`) touching the tile slot, plus the
    features it shows at every zoom (``layer.always_shown``).

    Small representatives are read by key: a tile and its cells are ranges of grid keys
    (:meth:`Tile.grid_key_ranges`), one range scan of the covering ``tiles_repr_key`` index per
    range, no table row read. Larger ones, whose corner may lie outside those ranges, are found
    by geometry through their own small index.
    """
    model = layer.representatives
    if model is None or field.srid != WGS84:
        msg = f"Map layer {layer.name}: thinning needs a representatives table in WGS84."
        raise TypeError(msg)
    stored = [name for name in layer.attributes if name not in layer.derived]
    columns = (*stored, *layer.helper_columns, SOURCE_GEOM)
    geom = F(layer.geom_field)
    range_bound = {
        f"grid_key__{op}": RawSQL(f"r.{end}", (), output_field=BigIntegerField())  # noqa: S611
        for op, end in (("gte", "lo"), ("lt", "hi"))
    }
    level = RawSQL("%s", (LEVEL,), output_field=BigIntegerField())
    winners = (
        model._default_manager.filter(level__lte=level).annotate(**{SOURCE_GEOM: geom}).order_by()
    )
    small = winners.filter(BoxOverlaps(geom, search_box()), small=True, **range_bound)
    large = in_tile(layer, winners.filter(small=False), field)
    parts = [small.values(*columns), large.values(*columns)]
    always = layer.always_shown(params)
    if always is not None:
        always = always.annotate(**{SOURCE_GEOM: geom}).order_by()
        parts.append(in_tile(layer, always, field).values(*columns))
    (small_sql, small_params), *others = (part.query.sql_with_params() for part in parts)
    if always is not None:  # blank text as NULL, as the representatives store it
        always_sql, always_params = others[-1]
        wrapped = f"SELECT {_blank_as_null(always.model, columns)} FROM ({always_sql}) AS a"  # noqa: S608
        others[-1] = (wrapped, always_params)
    # OFFSET 0: one index range scan per key range (flattened, the planner joins the ranges
    # with a scan of the whole table).
    sql = " UNION ALL ".join(
        (
            "SELECT s.* FROM unnest(%s::bigint[], %s::bigint[]) AS r(lo, hi) "  # noqa: S608
            f"CROSS JOIN LATERAL ({small_sql} OFFSET 0) AS s",
            *(other_sql for other_sql, _ in others),
        )
    )
    sql_params = (KEY_LOWS, KEY_HIGHS, *small_params)
    return sql, sql_params + tuple(p for _, other_params in others for p in other_params)


def _blank_as_null(model: type[Model], columns: tuple[str, ...]) -> str:
    """The columns of a ``values()`` subquery ``a`` over ``model``, blank text as NULL."""
    quote = connection.ops.quote_name  # names come from the layer's code, never from a request
    blank = {f.name for f in model._meta.get_fields() if isinstance(f, CharField) and f.blank}
    return ", ".join(
        f"NULLIF(a.{quote(name)}, '') AS {quote(name)}" if name in blank else f"a.{quote(name)}"
        for name in columns
    )
