"""SQL function: the H3 parent of a stored resolution-15 cell, so PostgreSQL can aggregate hexagons.

H3 index layout: bits 52-55 hold the resolution, then 3 bits per digit for resolutions 1..15;
digits below the cell's resolution are all ones (7). The parent at ``res`` therefore keeps the
digits down to ``res``, sets the resolution field and fills the finer digits with ones.
Checked against ``h3.cell_to_parent`` in tests/violations/test_hotspots.py.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION violations_h3_parent(cell bigint, res integer) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT (cell & ~(15::bigint << 52)) | (res::bigint << 52) | ((1::bigint << (3 * (15 - res))) - 1)
$$;
"""
DROP = "DROP FUNCTION IF EXISTS violations_h3_parent(bigint, integer);"


class Migration(migrations.Migration):
    dependencies = [("violations", "0001_initial")]

    operations = [migrations.RunSQL(CREATE, DROP)]
