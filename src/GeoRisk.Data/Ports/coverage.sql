-- Camera coverage of one area over a period: which signals and incidents happened inside the
-- view of a camera that was active at that moment (installed on or before that day, not yet
-- removed, not merely planned). One row per figure, assembled by PortStore:
--   section 'signals' / 'incidents' (totals), 'category', 'kind', 'month_signals',
--   'month_incidents', 'month_cameras' (cameras active at the end of the month), 'cell'
--   (signals per hexagon cell, for the uncovered hot spots). The last two columns are the key sums
--   of n and covered (publish_count, docs/access.md; never served).
-- $1 area code, $2 programmes (NULL = every programme), $3 from (date, inclusive), $4 to
-- (date, exclusive), $5 caller scope (NULL = everything), $6 category (NULL = all), $7 cell size (m).
WITH a AS (
    SELECT a.geom FROM area a
    WHERE a.code = $1 AND a.valid_to IS NULL
      AND area_in_scope(a.geom, $5::text[])
), sc AS MATERIALIZED (
    SELECT scope_reach($5::text[]) AS geom
), period AS (
    SELECT ($3::date::timestamp AT TIME ZONE 'Europe/Amsterdam') AS t0, ($4::date::timestamp AT TIME ZONE 'Europe/Amsterdam') AS t1
), w AS MATERIALIZED (
    -- Risk is the weighted signal sum of the default scoring profile (newest version): weight × reliability.
    -- One row, read once (inlined, the profile was looked up again for every signal).
    SELECT (SELECT params -> 'category_weights' FROM scoring_profile WHERE name = 'riec-standaard' ORDER BY version DESC LIMIT 1) AS weights
), seen AS (
    -- A signal or incident is covered when the view of a camera active on its day holds it. Each
    -- camera looks up what lies in its view (spatial index of the points), once per camera
    -- rather than once per point: there are far fewer cameras than signals and incidents.
    SELECT c.view_geom, c.active_from, c.active_to FROM camera c
    WHERE c.status <> 'planned' AND ($2::text[] IS NULL OR c.programme = ANY ($2::text[]))
), sig_seen AS MATERIALIZED (
    SELECT DISTINCT s.id
    FROM seen c CROSS JOIN period p
    JOIN signal s ON s.geom && c.view_geom AND ST_Intersects(c.view_geom, s.geom)
    WHERE s.observed_at >= p.t0 AND s.observed_at < p.t1
      AND (c.active_from IS NULL OR c.active_from <= (s.observed_at AT TIME ZONE 'Europe/Amsterdam')::date)
      AND (c.active_to IS NULL OR (s.observed_at AT TIME ZONE 'Europe/Amsterdam')::date < c.active_to)
), inc_seen AS MATERIALIZED (
    SELECT DISTINCT f.id
    FROM seen c CROSS JOIN period p
    JOIN overlay_feature f ON f.geom && c.view_geom AND ST_Intersects(c.view_geom, f.geom)
    WHERE f.observed_at >= p.t0 AND f.observed_at < p.t1
      AND (c.active_from IS NULL OR c.active_from <= (f.observed_at AT TIME ZONE 'Europe/Amsterdam')::date)
      AND (c.active_to IS NULL OR (f.observed_at AT TIME ZONE 'Europe/Amsterdam')::date < c.active_to)
), sig AS (
    SELECT s.category, signal_month(s.observed_at) AS month, s.record_key,
           s.reliability * coalesce((w.weights ->> s.category)::float8, 1.0) AS risk,
           hex_q($7, ST_X(s.geom), ST_Y(s.geom)) AS q, hex_r($7, ST_X(s.geom), ST_Y(s.geom)) AS r,
           s.id IN (SELECT id FROM sig_seen) AS covered
    FROM a CROSS JOIN period p CROSS JOIN sc CROSS JOIN w
    JOIN signal s ON ST_Intersects(a.geom, s.geom)
    WHERE s.observed_at >= p.t0 AND s.observed_at < p.t1
      AND ($6::text IS NULL OR s.category = $6::text)
      AND (sc.geom IS NULL OR ST_Intersects(s.geom, sc.geom))
), inc AS (
    SELECT f.kind, signal_month(f.observed_at) AS month, f.record_key,
           f.id IN (SELECT id FROM inc_seen) AS covered
    FROM a CROSS JOIN period p
    JOIN overlay_feature f ON ST_Intersects(a.geom, f.geom)
    JOIN overlay_dataset d ON d.id = f.dataset_id AND d.layer = 'incidents'
    WHERE f.observed_at >= p.t0 AND f.observed_at < p.t1
      AND ($2::text[] IS NULL OR d.programme = ANY ($2::text[]))
), cam AS MATERIALIZED (
    -- The programme's non-planned cameras whose view reaches into the area, tested once per
    -- camera rather than once per camera and month (the monthly counts below).
    SELECT c.active_from, c.active_to
    FROM camera c, a
    WHERE c.view_geom && a.geom AND ST_Intersects(c.view_geom, a.geom) AND c.status <> 'planned'
      AND ($2::text[] IS NULL OR c.programme = ANY ($2::text[]))
), months AS (
    SELECT m::date AS month, (m + interval '1 month')::date AS next
    FROM generate_series(date_trunc('month', $3::date), $4::date - 1, interval '1 month') AS m
)
SELECT 'signals' AS section, '' AS key, count(*) AS n, count(*) FILTER (WHERE covered) AS covered,
       coalesce(sum(risk), 0) AS risk, coalesce(sum(risk) FILTER (WHERE covered), 0) AS risk_covered,
       coalesce(sum(record_key), 0) AS key_sum, coalesce(sum(record_key) FILTER (WHERE covered), 0) AS covered_key_sum
FROM sig
UNION ALL
SELECT 'incidents', '', count(*), count(*) FILTER (WHERE covered), 0, 0,
       coalesce(sum(record_key), 0), coalesce(sum(record_key) FILTER (WHERE covered), 0) FROM inc
UNION ALL
SELECT 'category', category, count(*), count(*) FILTER (WHERE covered), sum(risk), coalesce(sum(risk) FILTER (WHERE covered), 0),
       coalesce(sum(record_key), 0), coalesce(sum(record_key) FILTER (WHERE covered), 0)
FROM sig GROUP BY category
UNION ALL
SELECT 'kind', kind, count(*), count(*) FILTER (WHERE covered), 0, 0,
       coalesce(sum(record_key), 0), coalesce(sum(record_key) FILTER (WHERE covered), 0) FROM inc GROUP BY kind
UNION ALL
SELECT 'month_signals', to_char(m.month, 'YYYY-MM'), count(s.month), count(s.month) FILTER (WHERE s.covered),
       coalesce(sum(s.risk), 0), coalesce(sum(s.risk) FILTER (WHERE s.covered), 0),
       coalesce(sum(s.record_key), 0), coalesce(sum(s.record_key) FILTER (WHERE s.covered), 0)
FROM months m LEFT JOIN sig s ON s.month = m.month GROUP BY m.month
UNION ALL
SELECT 'month_incidents', to_char(m.month, 'YYYY-MM'), count(i.month), count(i.month) FILTER (WHERE i.covered), 0, 0,
       coalesce(sum(i.record_key), 0), coalesce(sum(i.record_key) FILTER (WHERE i.covered), 0)
FROM months m LEFT JOIN inc i ON i.month = m.month GROUP BY m.month
UNION ALL
SELECT 'month_cameras', to_char(m.month, 'YYYY-MM'),
       (SELECT count(*) FROM cam c
        WHERE (c.active_from IS NULL OR c.active_from < m.next)
          AND (c.active_to IS NULL OR c.active_to >= m.next)), 0, 0, 0, 0, 0
FROM months m
UNION ALL
SELECT 'cell', q || ',' || r, count(*), count(*) FILTER (WHERE covered), sum(risk), coalesce(sum(risk) FILTER (WHERE covered), 0),
       coalesce(sum(record_key), 0), coalesce(sum(record_key) FILTER (WHERE covered), 0)
FROM sig GROUP BY q, r
