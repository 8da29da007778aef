"""The thinning grid key: a feature's cell in a Web Mercator grid nested across zooms.

``tiles_grid_key(geom, max_span_px)`` is the Morton (Z-order) code of the bounding box's
north-west corner in the level-24 pixel grid (2^24 columns and rows, y down as in tile
addresses), or NULL when the box is wider or taller than ``max_span_px`` such pixels. A
thinning cell at any level L <= 24 is then ``key >> 2 * (24 - L)`` and every cell, or tile, is
one contiguous range of keys.

Two indexes on mapping_accessibilityfeature (additive; the table is the mapping app's) let
the features layer's thinning read the keys of a tile without touching the table:

* ``tiles_feature_grid``: btree on the key of small features (at most 32 level-24 pixels across,
  one thinning cell at z13) with the id, the geometry and the expiry columns included, so the
  thinning pass is an index-only range scan;
* ``tiles_feature_grid_large``: GiST on the geometry of the few larger features (long lines),
  whose corner may lie far outside a tile they cross: they are found by geometry instead.

Both are partial on ``deleted_at IS NULL`` (the layer never shows deleted rows).
"""

from django.db import migrations

# Frozen copy of tiles.sql's expectations: the function name, the 32-pixel bound and the
# level (24) must match tiles.tilegrid.GRID_LEVEL / GRID_SMALL_SPAN_PX.
CREATE_FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION tiles_grid_key(g geometry, max_span_px bigint) RETURNS bigint
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    b box2d := g::box2d;
    west double precision := (ST_XMin(b) + 180) / 360 * 16777216;
    east double precision := (ST_XMax(b) + 180) / 360 * 16777216;
    north double precision := (1 - asinh(tan(radians(least(ST_YMax(b), 85.0511287798))))
        / pi()) / 2 * 16777216;
    south double precision := (1 - asinh(tan(radians(greatest(ST_YMin(b), -85.0511287798))))
        / pi()) / 2 * 16777216;
    x bigint := least(greatest(floor(west), 0), 16777215);
    y bigint := least(greatest(floor(north), 0), 16777215);
BEGIN
    IF east - west > max_span_px OR south - north > max_span_px THEN
        RETURN NULL;
    END IF;
    -- Interleave the bits: x in the even bits, y in the odd bits.
    x := (x | (x << 16)) & 281470681808895;
    x := (x | (x << 8)) & 71777214294589695;
    x := (x | (x << 4)) & 1085102592571150095;
    x := (x | (x << 2)) & 3689348814741910323;
    x := (x | (x << 1)) & 6148914691236517205;
    y := (y | (y << 16)) & 281470681808895;
    y := (y | (y << 8)) & 71777214294589695;
    y := (y | (y << 4)) & 1085102592571150095;
    y := (y | (y << 2)) & 3689348814741910323;
    y := (y | (y << 1)) & 6148914691236517205;
    RETURN x | (y << 1);
END;
$$;
"""
DROP_FUNCTION_SQL = "DROP FUNCTION IF EXISTS tiles_grid_key(geometry, bigint);"

CREATE_INDEXES_SQL = """
CREATE INDEX IF NOT EXISTS tiles_feature_grid ON mapping_accessibilityfeature
    (tiles_grid_key(geom, 32)) INCLUDE (id, geom, is_temporary, expires_at)
    WHERE deleted_at IS NULL;
CREATE INDEX IF NOT EXISTS tiles_feature_grid_large ON mapping_accessibilityfeature
    USING gist (geom) WHERE deleted_at IS NULL AND tiles_grid_key(geom, 32) IS NULL;
"""
DROP_INDEXES_SQL = """
DROP INDEX IF EXISTS tiles_feature_grid;
DROP INDEX IF EXISTS tiles_feature_grid_large;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("tiles", "0002_change_counting_trigger"),
        ("mapping", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(CREATE_FUNCTION_SQL, DROP_FUNCTION_SQL),
        migrations.RunSQL(CREATE_INDEXES_SQL, DROP_INDEXES_SQL),
    ]
