-- Counts of one intervention's three zones before and after, and their monthly series.
-- $1 intervention id; $2 buffer width in metres (NULL: the buffer is the other mainports);
-- $3 control area codes; $4 before-window start, $5 after-window start, $6 window length in
-- days (dates are Europe/Amsterdam calendar days); $7 first month of the series, $8 end of the
-- series (exclusive, a month start); $9 categories (NULL = all).
-- Zones never overlap: the buffer excludes the target, the control excludes both.
WITH target AS (
    SELECT i.geom FROM intervention i WHERE i.id = $1
), buffer AS (
    SELECT CASE
        WHEN $2::double precision IS NOT NULL THEN ST_Difference(ST_Buffer(t.geom, $2::double precision, 8), t.geom)
        ELSE (SELECT ST_Difference(ST_Union(a.geom), t.geom) FROM area a
              WHERE a.kind = 'mainport' AND a.valid_to IS NULL AND NOT ST_Relate(a.geom, t.geom, 'T********'))
    END AS geom
    FROM target t
), control AS (
    SELECT ST_Difference(c.geom, ST_Union(t.geom, coalesce(b.geom, t.geom))) AS geom
    FROM (SELECT ST_Union(a.geom) AS geom FROM area a WHERE a.code = ANY ($3::text[]) AND a.valid_to IS NULL) c
    CROSS JOIN target t CROSS JOIN buffer b
), zones AS (
    SELECT 'target' AS zone, geom FROM target
    UNION ALL SELECT 'buffer', geom FROM buffer WHERE geom IS NOT NULL AND NOT ST_IsEmpty(geom)
    UNION ALL SELECT 'control', geom FROM control WHERE geom IS NOT NULL AND NOT ST_IsEmpty(geom)
), bounds AS (
    SELECT ($4::date::timestamp AT TIME ZONE 'Europe/Amsterdam') AS before_from,
           (($4::date + $6::int)::timestamp AT TIME ZONE 'Europe/Amsterdam') AS before_to,
           ($5::date::timestamp AT TIME ZONE 'Europe/Amsterdam') AS after_from,
           (($5::date + $6::int)::timestamp AT TIME ZONE 'Europe/Amsterdam') AS after_to,
           ($7::date::timestamp AT TIME ZONE 'Europe/Amsterdam') AS series_from,
           ($8::date::timestamp AT TIME ZONE 'Europe/Amsterdam') AS series_to
), counted AS (
    SELECT z.zone, s.category, s.observed_at
    FROM zones z CROSS JOIN bounds b
    JOIN signal s ON ST_Intersects(z.geom, s.geom)
    WHERE s.observed_at >= least(b.series_from, b.before_from)
      AND s.observed_at < greatest(b.series_to, b.after_to)
      AND ($9::text[] IS NULL OR s.category = ANY ($9::text[]))
)
SELECT json_build_object(
    'zones', (SELECT coalesce(json_agg(json_build_object(
                  'zone', z.zone,
                  'km2', ST_Area(z.geom) / 1e6,
                  'geometry', ST_AsGeoJSON(ST_Transform(z.geom, 4326), 6)::json) ORDER BY z.zone), '[]'::json)
              FROM zones z),
    'windows', (SELECT coalesce(json_agg(w), '[]'::json) FROM (
                  SELECT c.zone, c.category,
                         count(*) FILTER (WHERE c.observed_at >= b.before_from AND c.observed_at < b.before_to) AS before,
                         count(*) FILTER (WHERE c.observed_at >= b.after_from AND c.observed_at < b.after_to) AS after
                  FROM counted c CROSS JOIN bounds b
                  GROUP BY c.zone, c.category) w),
    'series', (SELECT coalesce(json_agg(m), '[]'::json) FROM (
                  SELECT c.zone, signal_month(c.observed_at) AS month, count(*) AS count
                  FROM counted c CROSS JOIN bounds b
                  WHERE c.observed_at >= b.series_from AND c.observed_at < b.series_to
                  GROUP BY c.zone, signal_month(c.observed_at)) m)
)::text
