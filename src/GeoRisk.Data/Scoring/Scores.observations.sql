-- What the relative-risk model needs of every area valid on the reference date: exposure (or
-- km²) and, per window, signal and source counts and Σ weight · reliability · 2^(−age / half-life)
-- per category (age in days from the end of the signal's own window). The model itself is C#
-- (GeoRisk.Core.Scoring.RelativeRiskModel); RelativeRiskModel.Observe is the same count in C#.
-- $1 profile, $2 version, $3 reference date, $4 window days, $5 categories (NULL = every
-- category the profile weighs; categories with weight 0 never count). The last three columns are
-- key sums for publish_count (docs/access.md): the window's signals, its partners, the previous
-- window's signals.
WITH profile AS (
    SELECT sp.params,
           (sp.params ->> 'half_life_days')::float8 AS half_life,
           -- Calendar days in Amsterdam (date arithmetic): the session's TimeZone cannot move a boundary.
           (($3::date + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam') AS window_end,
           (($3::date + 1 - $4::int)::timestamp AT TIME ZONE 'Europe/Amsterdam') AS window_start,
           (($3::date + 1 - 2 * $4::int)::timestamp AT TIME ZONE 'Europe/Amsterdam') AS previous_start
    FROM scoring_profile sp
    WHERE sp.name = $1 AND sp.version = $2
), weight AS (
    SELECT w.key AS category, w.value::text::float8 AS weight
    FROM profile p CROSS JOIN jsonb_each(p.params -> 'category_weights') w
    WHERE w.value::text::float8 > 0 AND ($5::text[] IS NULL OR w.key = ANY ($5::text[]))
), area_valid AS (
    SELECT a.id, a.code, a.name, a.kind,
           coalesce(a.exposure, a.area_km2) AS exposure,
           coalesce(a.exposure_unit, 'km2') AS unit
    FROM area a
    WHERE a.valid_from <= $3::date AND (a.valid_to IS NULL OR a.valid_to > $3::date)
), hit AS (
    -- Period 0 = the window, 1 = the window before it.
    SELECT av.id, pr.period, s.category, s.source,
           count(*) AS n, sum(s.record_key) AS key_sum,
           -- Summed as numeric (exact), so the total does not depend on the order the plan
           -- delivers the rows in: a re-run after ANALYZE changed the plan must store the same
           -- doubles (verification compares them exactly).
           sum((w.weight * s.reliability * power(2::float8,
               -(date_part('epoch', pr.period_end - s.observed_at) / 86400) / p.half_life))::numeric) AS weighted
    FROM profile p
    JOIN signal s ON s.observed_at >= p.previous_start AND s.observed_at < p.window_end
    JOIN weight w ON w.category = s.category
    -- signal_area holds the ST_Intersects pairs, kept current at ingest (sql/functions/1110_signal_area.sql).
    JOIN signal_area sa ON sa.signal_id = s.id
    JOIN area_valid av ON av.id = sa.area_id
    CROSS JOIN LATERAL (
        SELECT CASE WHEN s.observed_at >= p.window_start THEN 0 ELSE 1 END AS period,
               CASE WHEN s.observed_at >= p.window_start THEN p.window_end ELSE p.window_start END AS period_end
    ) pr
    GROUP BY av.id, pr.period, s.category, s.source, w.weight
), per_category AS (
    SELECT h.id, h.period, h.category, sum(h.weighted)::float8 AS weighted
    FROM hit h GROUP BY h.id, h.period, h.category
), per_period AS (
    SELECT h.id, h.period, sum(h.n)::int AS n, count(DISTINCT h.source)::int AS sources,
           sum(h.key_sum)::bigint AS key_sum, source_key_sum(array_agg(DISTINCT h.source)) AS source_key_sum
    FROM hit h GROUP BY h.id, h.period
), per_area AS (
    SELECT pc.id,
           jsonb_object_agg(pc.category, pc.weighted) FILTER (WHERE pc.period = 0) AS weighted_now,
           jsonb_object_agg(pc.category, pc.weighted) FILTER (WHERE pc.period = 1) AS weighted_before
    FROM per_category pc GROUP BY pc.id
)
SELECT av.code, av.name, av.kind, av.exposure, av.unit,
       coalesce(n0.n, 0), coalesce(n0.sources, 0), coalesce(pa.weighted_now, '{}'::jsonb)::text,
       coalesce(n1.n, 0), coalesce(n1.sources, 0), coalesce(pa.weighted_before, '{}'::jsonb)::text,
       coalesce(n0.key_sum, 0), coalesce(n0.source_key_sum, 0), coalesce(n1.key_sum, 0)
FROM area_valid av
LEFT JOIN per_area pa ON pa.id = av.id
LEFT JOIN per_period n0 ON n0.id = av.id AND n0.period = 0
LEFT JOIN per_period n1 ON n1.id = av.id AND n1.period = 1
ORDER BY av.code;
