-- 1,000,000 synthetic accessibility features south of Seoul (126.75-127.20 E, 37.05-37.40 N,
-- about 1,550 km², away from the demo area): 70 % clustered around 300 neighbourhood centres,
-- 30 % spread evenly; 15 % are short lines (steps, ramps), the rest points. Deterministic.
-- Triggers are skipped for the bulk load (no history for synthetic rows); the representatives of
-- thinned tiles are refreshed and the tile version bumped afterwards.
SET session_replication_role = replica;
DELETE FROM mapping_accessibilityfeature WHERE source_dataset = 'synthetic';
SELECT setseed(0.42);
CREATE TEMP TABLE centres AS
SELECT i, 126.78 + random() * 0.39 AS lon, 37.08 + random() * 0.29 AS lat
FROM generate_series(0, 299) AS i;

CREATE TEMP TABLE synthetic AS
WITH draws AS (
    SELECT g, random() AS u1, random() AS u2, random() AS u3, random() AS u4, random() AS u5
    FROM generate_series(1, 1000100) AS g
), placed AS (
    SELECT d.*,
        CASE WHEN d.g % 10 < 7
            THEN c.lon + 0.009 * sqrt(-2 * ln(greatest(d.u1, 1e-9))) * cos(2 * pi() * d.u2)
            ELSE 126.75 + d.u1 * 0.45 END AS lon,
        CASE WHEN d.g % 10 < 7
            THEN c.lat + 0.007 * sqrt(-2 * ln(greatest(d.u1, 1e-9))) * sin(2 * pi() * d.u2)
            ELSE 37.05 + d.u2 * 0.35 END AS lat,
        (ARRAY['kerb', 'kerb', 'kerb', 'curb_ramp', 'curb_ramp', 'crossing', 'crossing',
               'tactile_paving', 'obstacle', 'surface_problem', 'narrow_passage', 'elevator',
               'steep_slope'])[1 + floor(d.u3 * 13)::int] AS point_type
    FROM draws d JOIN centres c ON c.i = d.g % 300
)
SELECT g,
    CASE WHEN u4 < 0.15 THEN (CASE WHEN u5 < 0.5 THEN 'steps' ELSE 'ramp' END) ELSE point_type END
        AS feature_type,
    CASE WHEN u4 < 0.15
        THEN ST_SetSRID(ST_MakeLine(ST_MakePoint(lon, lat),
             ST_MakePoint(lon + (u5 - 0.5) * 0.0006, lat + (u3 - 0.5) * 0.0005)), 4326)
        ELSE ST_SetSRID(ST_MakePoint(lon, lat), 4326) END AS geom,
    u3, u5
FROM placed
WHERE lon BETWEEN 126.75 AND 127.20 AND lat BETWEEN 37.05 AND 37.40
ORDER BY g
LIMIT 1000000;

INSERT INTO mapping_accessibilityfeature (
    source, source_dataset, source_ref, osm_type, osm_tags, observed_at, confidence,
    resurvey_due_at, status, agree_count, disagree_count, unsure_count, note, version,
    created_at, updated_at, feature_type, geom, kerb, kerb_height_cm, step_count,
    ramp_wheelchair, incline_pct, width_m, surface, smoothness, opening_hours, is_temporary,
    crossing, wheelchair_tag, description)
SELECT 'import', 'synthetic', 'syn-' || g, '', '{}', now(), 0.5,
    now() + interval '8 years', (ARRAY['unvalidated', 'validated', 'disputed'])[1 + (g % 3)],
    (g % 4)::int, (g % 2)::int, 0, '', 1, now(), now(), feature_type, geom,
    CASE WHEN feature_type IN ('kerb', 'curb_ramp')
        THEN (ARRAY['raised', 'lowered', 'flush', 'rolled'])[1 + floor(u3 * 4)::int] ELSE '' END,
    CASE WHEN feature_type = 'kerb' THEN round((u5 * 20)::numeric, 1) END,
    CASE WHEN feature_type = 'steps' THEN 1 + floor(u5 * 30)::int END,
    CASE WHEN feature_type = 'steps' THEN (ARRAY['yes', 'no', ''])[1 + (g % 3)] ELSE '' END,
    CASE WHEN feature_type IN ('ramp', 'steep_slope') THEN round((u5 * 14)::numeric, 1) END,
    CASE WHEN feature_type IN ('narrow_passage', 'ramp') THEN round((0.6 + u5)::numeric, 2) END,
    CASE WHEN feature_type = 'surface_problem'
        THEN (ARRAY['sett', 'cobblestone', 'gravel', 'unpaved'])[1 + (g % 4)] ELSE '' END,
    '', '', false, '', '', ''
FROM synthetic;
SET session_replication_role = origin;
-- The low-zoom representatives of the loaded cells (their trigger was skipped with the others).
SELECT tiles_refresh_representatives(ARRAY(
    SELECT DISTINCT tiles_grid_key(geom, 16777216) >> 12 FROM mapping_accessibilityfeature
    WHERE source_dataset = 'synthetic' AND deleted_at IS NULL AND NOT is_temporary));
-- One no-op statement per table moves the tile versions (statement triggers fire on 0 rows too).
UPDATE mapping_accessibilityfeature SET version = version WHERE false;
ANALYZE mapping_accessibilityfeature;
