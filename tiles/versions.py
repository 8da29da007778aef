"""Layer versions: a token that moves whenever what a layer shows may have changed.

Why counters bumped by statement-level triggers (and not ``max(updated_at)`` + ``count(*)``):
the count is a full scan on large tables, ``updated_at`` misses hard deletes, TRUNCATE and bulk
writes that bypass ``auto_now``, and neither sees a change to a joined table (a place's
entrances). A trigger sees every write, whoever makes it (API, importer, admin, psql).

Why one counter row per *backend process* and not one per table: a shared per-table row would be
locked by every writing transaction until it commits, so a long import would block volunteers'
edits to the same table, and transactions writing two tables in opposite orders could deadlock.
A backend runs one transaction at a time, so its own row is never contended. The version is the
sum of a table's rows; it grows at every commit that touched the table, and a reader sees the
new sum in the same snapshot as the new data. Rows of finished backends are folded into
``backend_pid = 0`` now and then (the sum is unchanged; rows locked by running writers are skipped).

Triggers are attached to the tables of every registered layer after each ``migrate`` (the layer
may belong to any app), so a layer only declares ``depends_on``; no migration in the owning app.
Time-dependent layers add a clock (an obstacle expiring, a campaign starting) to the token.
"""

from __future__ import annotations

import logging
import time
from functools import lru_cache
from typing import Any

import psycopg
from django.db import DatabaseError, connection, connections

from tiles.layer import MapLayer
from tiles.registry import all_layers

log = logging.getLogger(__name__)

TRIGGER_FUNCTION = "tiles_count_changes"
# Fold finished backends' rows once a layer's tables have more rows than this, at most once a
# minute per process (live backends keep their rows, so the count may stay above it).
FOLD_ABOVE_ROWS = 64
FOLD_EVERY_S = 60.0
_last_fold_s: dict[tuple[str, ...], float] = {}

CREATE_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {TRIGGER_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO tiles_tablechanges (table_name, backend_pid, changes)
    VALUES (TG_TABLE_NAME, pg_backend_pid(), 1)
    ON CONFLICT (table_name, backend_pid)
    DO UPDATE SET changes = tiles_tablechanges.changes + 1;
    RETURN NULL;
END;
$$;
"""  # noqa: S608 - a constant
DROP_FUNCTION_SQL = f"DROP FUNCTION IF EXISTS {TRIGGER_FUNCTION}() CASCADE;"

_VERSION_SQL = (
    "SELECT coalesce(sum(changes), 0)::bigint AS changes, count(*) AS row_count "
    "FROM tiles_tablechanges WHERE table_name = ANY(%s)"
)

_FOLD_SQL = """
WITH movable AS (
    SELECT id FROM tiles_tablechanges
    WHERE backend_pid <> 0 AND table_name = ANY(%s)
      AND backend_pid NOT IN (SELECT pid FROM pg_stat_activity)
    FOR UPDATE SKIP LOCKED
), gone AS (
    DELETE FROM tiles_tablechanges c USING movable m WHERE c.id = m.id
    RETURNING c.table_name, c.changes
)
INSERT INTO tiles_tablechanges (table_name, backend_pid, changes)
SELECT table_name, 0, sum(changes) FROM gone GROUP BY table_name
ON CONFLICT (table_name, backend_pid)
DO UPDATE SET changes = tiles_tablechanges.changes + EXCLUDED.changes
"""


def layer_tables(layer: MapLayer) -> list[str]:
    return sorted({model._meta.db_table for model in layer.depends_on})


@lru_cache(maxsize=256)
def _version_query(layer: MapLayer) -> tuple[str, tuple[Any, ...]]:
    """The version SQL of a layer, compiled once (clock queries use the database clock)."""
    sql, params = _VERSION_SQL, (layer_tables(layer),)
    clock = layer.clock_query()
    if clock is not None:
        clock_sql, clock_params = clock.query.sql_with_params()
        sql = f"SELECT v.changes, v.row_count, ({clock_sql}) FROM ({sql}) AS v"  # noqa: S608
        params = (*params, *clock_params)
    return sql, params


_TRIGGER_EXISTS_SQL = (
    "SELECT count(*) FROM pg_trigger WHERE tgname = %s AND tgrelid = ANY(%s::regclass[])"
)
_checked: set[MapLayer] = set()


def _ensure_triggers(layer: MapLayer) -> None:
    """Once per process and layer: a layer registered after the last ``migrate`` gets its
    triggers now, rather than a version that never moves (stale tiles forever)."""
    if layer in _checked:
        return
    tables = layer_tables(layer)
    with connection.cursor() as cursor:
        cursor.execute(_TRIGGER_EXISTS_SQL, [TRIGGER_FUNCTION, tables])
        installed = cursor.fetchone()[0]
    if installed < len(tables):
        try:
            install_triggers(tables=tables)
        except DatabaseError:
            log.error("version triggers missing on %s; run manage.py migrate", tables)
            return
    _checked.add(layer)


def layer_version(layer: MapLayer) -> str:
    """The layer's current version token (one small query)."""
    _ensure_triggers(layer)
    sql, params = _version_query(layer)
    connection.ensure_connection()
    # A prepared statement (server-side binding): this runs on every tile request, and planning
    # it again each time cost more than running it.
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        row = cursor.fetchone()
    assert row is not None  # an aggregate always returns one row
    changes, row_count, *clock_value = row
    if row_count > FOLD_ABOVE_ROWS and _fold_due(layer_tables(layer)):
        fold_changes(layer_tables(layer))
    parts = [str(changes), *(str(v) for v in clock_value), layer.clock_token()]
    return ".".join(p for p in parts if p)


def _fold_due(tables: list[str]) -> bool:
    now_s = time.monotonic()
    key = tuple(tables)
    if now_s - _last_fold_s.get(key, -FOLD_EVERY_S) < FOLD_EVERY_S:
        return False
    _last_fold_s[key] = now_s
    return True


def fold_changes(tables: list[str]) -> None:
    """Merge counters of finished backends into one row; harmless if it cannot run (read replica)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute(_FOLD_SQL, [tables])
    except DatabaseError:
        log.warning("could not fold tile version counters for %s", tables, exc_info=True)


def install_triggers(using: str = "default", tables: list[str] | None = None) -> list[str]:
    """Attach the change-counting trigger to the given tables (default: every registered
    layer's tables); returns the tables that exist and now have it."""
    if tables is None:
        tables = sorted({t for layer in all_layers() for t in layer_tables(layer)})
    conn = connections[using]
    existing = set(conn.introspection.table_names())
    installed = [t for t in tables if t in existing]
    with conn.cursor() as cursor:
        for table in installed:
            # Table names come from model metadata, never from a request.
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER {TRIGGER_FUNCTION} "
                "AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f"ON {conn.ops.quote_name(table)} FOR EACH STATEMENT "
                f"EXECUTE FUNCTION {TRIGGER_FUNCTION}()"
            )
    return installed


def install_triggers_after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    if getattr(sender, "name", None) == "tiles":
        install_triggers(using)
