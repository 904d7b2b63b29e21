-- Counts per category and month for one area: signals, distinct source partners, per km² and
-- per 1,000 exposure units, for [from, to) and for the previous period of equal length.
-- $1 area code, $2 from (date, inclusive), $3 to (date, exclusive), $4 category (NULL = all),
-- $5 caller scope (NULL = unrestricted; signals outside it are not counted), $6 suppression k
-- (NULL = none; counts are published through publish_count: cell-key noise, rounded to fives,
-- null and "suppressed": true when withheld). NULL when the area is
-- unknown or outside the scope. Dates are Europe/Amsterdam calendar days.
WITH a AS (
    SELECT a.id, a.code, a.name, a.kind, a.geom, a.area_km2, a.exposure, a.exposure_unit
    FROM area a
    WHERE a.code = $1 AND a.valid_to IS NULL
      AND area_in_scope(a.geom, $5) -- within the reach (sql/functions/0100_reach.sql)
), scope AS MATERIALIZED (
    SELECT scope_reach($5::text[]) AS geom
), bounds AS (
    SELECT ($2::date::timestamp AT TIME ZONE 'Europe/Amsterdam') AS t0,
           ($3::date::timestamp AT TIME ZONE 'Europe/Amsterdam') AS t1,
           (($2::date - ($3::date - $2::date))::timestamp AT TIME ZONE 'Europe/Amsterdam') AS tp
), sig AS (
    SELECT s.category, s.source, s.record_key, signal_month(s.observed_at) AS month,
           CASE WHEN s.observed_at >= b.t0 THEN 'current' ELSE 'previous' END AS period
    FROM a CROSS JOIN bounds b CROSS JOIN scope sc
    JOIN signal s ON ST_Intersects(a.geom, s.geom)
    WHERE s.observed_at >= b.tp AND s.observed_at < b.t1
      AND ($4::text IS NULL OR s.category = $4)
      AND in_reach(s.geom, sc.geom)
), per_month AS (
    SELECT period, category, month, count(*)::int AS n, count(DISTINCT source)::int AS sources,
           sum(record_key)::bigint AS key_sum, source_key_sum(array_agg(DISTINCT source)) AS source_key_sum
    FROM sig GROUP BY period, category, month
), total AS (
    SELECT p.period, count(s.*)::int AS n, count(DISTINCT s.source)::int AS sources,
           coalesce(sum(s.record_key), 0)::bigint AS key_sum,
           source_key_sum(array_agg(DISTINCT s.source)) AS source_key_sum
    FROM (VALUES ('current'), ('previous')) p(period)
    LEFT JOIN sig s ON s.period = p.period
    GROUP BY p.period
), published AS (
    -- What a suppressed caller may see: publish_count (cell-key noise of exactly this set of
    -- signals or partners, then counts below k withheld, the rest rounded to fives); rates are
    -- computed from these published counts, never from exact ones.
    SELECT pm.period, pm.category, pm.month, $6::int IS NOT NULL AND pb.n IS NULL AS suppressed,
           CASE WHEN $6::int IS NULL THEN pm.n ELSE pb.n END AS n,
           CASE WHEN $6::int IS NULL THEN pm.sources ELSE pb.sources END AS sources
    FROM per_month pm
    CROSS JOIN LATERAL (SELECT publish_count(pm.n, pm.key_sum, $6) AS n,
                               publish_count(pm.sources, pm.source_key_sum, $6) AS sources) pb
), fmt AS (
    SELECT p.period, p.category, p.month,
           json_build_object(
               'category', p.category, 'month', p.month,
               'count', p.n,
               'sources', p.sources,
               'per_km2', round((p.n / a.area_km2)::numeric, 4),
               'per_1000_exposure', CASE WHEN a.exposure IS NOT NULL THEN round((p.n / (a.exposure / 1000))::numeric, 4) END,
               'suppressed', p.suppressed) AS j
    FROM published p CROSS JOIN a
), total_published AS (
    SELECT t.period, $6::int IS NOT NULL AND pb.n IS NULL AS suppressed,
           CASE WHEN $6::int IS NULL THEN t.n ELSE pb.n END AS n,
           CASE WHEN $6::int IS NULL THEN t.sources ELSE pb.sources END AS sources
    FROM total t
    CROSS JOIN LATERAL (SELECT publish_count(t.n, t.key_sum, $6) AS n,
                               publish_count(t.sources, t.source_key_sum, $6) AS sources) pb
)
SELECT json_build_object(
    'code', a.code, 'name', a.name, 'kind', a.kind,
    'area_km2', round(a.area_km2::numeric, 3),
    'exposure', a.exposure, 'exposure_unit', a.exposure_unit,
    'category', $4::text,
    'period', json_build_object('from', $2::date, 'to', $3::date),
    'previous_period', json_build_object('from', $2::date - ($3::date - $2::date), 'to', $2::date),
    'totals', (SELECT json_object_agg(t.period, json_build_object(
                   'count', t.n,
                   'sources', t.sources,
                   'per_km2', round((t.n / a.area_km2)::numeric, 4),
                   'per_1000_exposure', CASE WHEN a.exposure IS NOT NULL THEN round((t.n / (a.exposure / 1000))::numeric, 4) END,
                   'suppressed', t.suppressed))
               FROM total_published t),
    'current', coalesce((SELECT json_agg(f.j ORDER BY f.category, f.month) FROM fmt f WHERE f.period = 'current'), '[]'::json),
    'previous', coalesce((SELECT json_agg(f.j ORDER BY f.category, f.month) FROM fmt f WHERE f.period = 'previous'), '[]'::json)
)::text
FROM a;
