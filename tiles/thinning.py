"""Thinning: one point per grid cell on low-zoom tiles, from a representatives table the
database keeps (:func:`representatives_sql`) or by grouping the layer's features per request
(:func:`thinning_picks`, for layers whose features depend on the request's filters)."""

from __future__ import annotations

from typing import Any

from django.contrib.gis.db.models import GeometryField
from django.db import connection
from django.db.models import BigIntegerField, F, Func, QuerySet
from django.db.models.expressions import RawSQL

from modugil.geo import WGS84
from tiles.layer import LayerParams, MapLayer, Slot
from tiles.tile_filter import SOURCE_GEOM, BoxOverlaps, blank_text, in_tile, row_columns, search_box
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
    small = (
        features.annotate(_grid_key=GridKey(geom))
        .filter(BoxOverlaps(geom, search_box()), **_in_key_range("_grid_key"))
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
    columns = row_columns(layer)
    geom = F(layer.geom_field)
    level = RawSQL("%s", (LEVEL,), output_field=BigIntegerField())
    winners = (
        model._default_manager.filter(level__lte=level).annotate(**{SOURCE_GEOM: geom}).order_by()
    )
    small = winners.filter(BoxOverlaps(geom, search_box()), small=True, **_in_key_range("grid_key"))
    small_sql, small_params = small.values(*columns).query.sql_with_params()
    large_sql, large_params = (
        in_tile(layer, winners.filter(small=False), field).values(*columns).query.sql_with_params()
    )
    # OFFSET 0: one index range scan per key range (flattened, the planner joins the ranges
    # with a scan of the whole table).
    parts = [
        (
            "SELECT s.* FROM unnest(%s::bigint[], %s::bigint[]) AS r(lo, hi) "  # noqa: S608
            f"CROSS JOIN LATERAL ({small_sql} OFFSET 0) AS s",
            (KEY_LOWS, KEY_HIGHS, *small_params),
        ),
        (large_sql, large_params),
    ]
    always = layer.always_shown(params)
    if always is not None:
        always = in_tile(layer, always.annotate(**{SOURCE_GEOM: geom}).order_by(), field)
        always_sql, always_params = always.values(*columns).query.sql_with_params()
        # Blank text as NULL, as the representatives store it.
        blank = blank_text(always.model)
        quote = connection.ops.quote_name  # names come from the layer's code
        selected = ", ".join(
            f"NULLIF(a.{quote(c)}, '') AS {quote(c)}" if c in blank else f"a.{quote(c)}"
            for c in columns
        )
        parts.append((f"SELECT {selected} FROM ({always_sql}) AS a", always_params))  # noqa: S608
    sql = " UNION ALL ".join(part_sql for part_sql, _ in parts)
    return sql, tuple(p for _, part_params in parts for p in part_params)


def _in_key_range(key: str) -> dict[str, RawSQL]:
    """Lookups ``key >= r.lo AND key < r.hi`` for a key range ``r`` joined laterally."""
    return {
        f"{key}__{op}": RawSQL(f"r.{end}", (), output_field=BigIntegerField())  # noqa: S611
        for op, end in (("gte", "lo"), ("lt", "hi"))
    }
