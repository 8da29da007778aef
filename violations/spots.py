"""Link reports to the nearest disabled-parking bay within ``VIOLATIONS_SPOT_RADIUS_M``.

One set-based SQL statement serves a single new report and a million imported rows alike;
it starts from the (few) bays and uses the reports' spatial index.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection

# Degrees of longitude per metre are largest at the northern edge of the service area;
# 1/70000 deg per metre over-covers every latitude below 51 degrees (the exact test follows).
DEG_PER_M = 1 / 70000

LINK_SQL = """
WITH nearest AS (
  SELECT DISTINCT ON (r.id) r.id AS report_id, s.id AS spot_id,
         ST_Distance(r.geom::geography, s.geom::geography) AS distance_m
  FROM violations_violationreport r
  JOIN mapping_disabledparkingspot s
    ON s.deleted_at IS NULL
   AND r.geom && ST_Expand(s.geom, %(deg)s)
   AND ST_DWithin(r.geom::geography, s.geom::geography, %(radius)s)
  WHERE {where}
  ORDER BY r.id, distance_m, s.id
)
UPDATE violations_violationreport v
SET spot_id = nearest.spot_id, spot_distance_m = nearest.distance_m
FROM nearest
WHERE v.id = nearest.report_id
  AND (v.spot_id IS DISTINCT FROM nearest.spot_id
       OR v.spot_distance_m IS DISTINCT FROM nearest.distance_m)
"""

UNLINK_SQL = """
UPDATE violations_violationreport r SET spot_id = NULL, spot_distance_m = NULL
WHERE {where} AND r.spot_id IS NOT NULL AND NOT EXISTS (
  SELECT 1 FROM mapping_disabledparkingspot s
  WHERE s.id = r.spot_id AND s.deleted_at IS NULL
    AND ST_DWithin(r.geom::geography, s.geom::geography, %(radius)s))
"""


def link_spots(where: str = "TRUE", params: dict[str, Any] | None = None) -> int:
    """Link reports matching the SQL condition on ``r`` to their nearest bay; return rows changed.

    ``where`` is code-supplied SQL (never user text); its values go in ``params``.
    """
    radius = float(settings.VIOLATIONS_SPOT_RADIUS_M)
    values = {"radius": radius, "deg": radius * DEG_PER_M, **(params or {})}
    with connection.cursor() as cursor:
        cursor.execute(UNLINK_SQL.format(where=where), values)
        unlinked = cursor.rowcount
        cursor.execute(LINK_SQL.format(where=where), values)
        return unlinked + cursor.rowcount


def link_report(report_id: int) -> None:
    link_spots("r.id = %(report_id)s", {"report_id": report_id})
