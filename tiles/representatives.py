"""Maintenance of the features layer's representatives (see tiles.models.FeatureRepresentative)."""

from __future__ import annotations

from django.db import connection, transaction


def rebuild_representatives() -> int:
    """Recompute every cell's representative from the features table; the number kept.

    Triggers keep the table right after every write; this is for loads that bypassed them
    (``session_replication_role = replica``) or a check after manual surgery.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT tiles_rebuild_representatives()")
        return int(cursor.fetchone()[0])
