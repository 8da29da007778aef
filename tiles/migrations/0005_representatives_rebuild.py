"""Representatives after a TRUNCATE, and a full rebuild for loads that skipped the triggers.

``TRUNCATE mapping_accessibilityfeature`` fires no row or statement DELETE trigger: a TRUNCATE
trigger empties the representatives with it. ``tiles_rebuild_representatives()`` recomputes
every cell from scratch (after a bulk load with ``session_replication_role = replica``, which
skips every trigger); ``manage.py rebuild_tile_representatives`` calls it.
"""

from django.db import migrations

CREATE_SQL = """
CREATE OR REPLACE FUNCTION tiles_rebuild_representatives() RETURNS bigint
LANGUAGE plpgsql AS $$
BEGIN
    -- Every refresher waits: the table is recomputed whole.
    LOCK TABLE tiles_featurerepresentative IN EXCLUSIVE MODE;
    DELETE FROM tiles_featurerepresentative;
    PERFORM tiles_refresh_representatives(ARRAY(
        SELECT DISTINCT tiles_grid_key(geom, 16777216) >> 12 FROM mapping_accessibilityfeature
        WHERE deleted_at IS NULL AND NOT is_temporary));
    RETURN (SELECT count(*) FROM tiles_featurerepresentative);
END;
$$;

CREATE OR REPLACE FUNCTION tiles_features_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM tiles_featurerepresentative;
    RETURN NULL;
END;
$$;

CREATE TRIGGER tiles_representatives_truncate AFTER TRUNCATE ON mapping_accessibilityfeature
    FOR EACH STATEMENT EXECUTE FUNCTION tiles_features_truncated();
"""
DROP_SQL = """
DROP TRIGGER IF EXISTS tiles_representatives_truncate ON mapping_accessibilityfeature;
DROP FUNCTION IF EXISTS tiles_features_truncated();
DROP FUNCTION IF EXISTS tiles_rebuild_representatives();
"""


class Migration(migrations.Migration):
    dependencies = [("tiles", "0004_feature_representatives")]

    operations = [migrations.RunSQL(CREATE_SQL, DROP_SQL)]
