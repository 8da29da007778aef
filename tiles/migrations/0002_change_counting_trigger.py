"""The trigger function that counts changes per table (attached to layer tables after migrate).

Also an index on mapping_accessibilityfeature's expiry (temporary obstacles only): the features
layer's version includes the latest expiry already passed, read on every tile request.
"""

from django.db import migrations

# Frozen copy of tiles.versions.CREATE_FUNCTION_SQL at the time of this migration.
CREATE_FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION tiles_count_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO tiles_tablechanges (table_name, backend_pid, changes)
    VALUES (TG_TABLE_NAME, pg_backend_pid(), 1)
    ON CONFLICT (table_name, backend_pid)
    DO UPDATE SET changes = tiles_tablechanges.changes + 1;
    RETURN NULL;
END;
$$;
"""
DROP_FUNCTION_SQL = "DROP FUNCTION IF EXISTS tiles_count_changes() CASCADE;"


class Migration(migrations.Migration):
    dependencies = [
        ("tiles", "0001_initial"),
        ("mapping", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(CREATE_FUNCTION_SQL, DROP_FUNCTION_SQL),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS tiles_feature_expiry "
            "ON mapping_accessibilityfeature (expires_at) WHERE is_temporary",
            "DROP INDEX IF EXISTS tiles_feature_expiry",
        ),
    ]
