-- Demand of a siting run: signals (weight × reliability of the default scoring profile) or
-- incidents (weight 1) of the period inside the area that no camera active at the end of the
-- period sees. Planned cameras do not count: they are what the run is meant to improve on.
-- $1 area, $2 programmes (NULL = all), $3 from, $4 to (exclusive), $5 caller scope, $6 incidents instead of signals.
WITH a AS (
    SELECT a.geom FROM area a
    WHERE a.code = $1 AND a.valid_to IS NULL AND area_in_scope(a.geom, $5::text[])
), sc AS MATERIALIZED (
    SELECT scope_reach($5::text[]) AS geom
), period AS (
    SELECT ($3::date::timestamp AT TIME ZONE 'Europe/Amsterdam') AS t0, ($4::date::timestamp AT TIME ZONE 'Europe/Amsterdam') AS t1,
           $4::date - 1 AS last_day
), w AS MATERIALIZED (
    -- One row, read once (inlined, the profile was looked up again for every signal).
    SELECT (SELECT params -> 'category_weights' FROM scoring_profile WHERE name = 'riec-standaard' ORDER BY version DESC LIMIT 1) AS weights
), points AS (
    SELECT s.geom, s.reliability * coalesce((w.weights ->> s.category)::float8, 1.0) AS weight
    FROM a CROSS JOIN period p CROSS JOIN sc CROSS JOIN w
    JOIN signal s ON ST_Intersects(a.geom, s.geom)
    WHERE NOT $6::boolean AND s.observed_at >= p.t0 AND s.observed_at < p.t1
      AND (sc.geom IS NULL OR ST_Intersects(s.geom, sc.geom))
    UNION ALL
    SELECT ST_PointOnSurface(f.geom), 1.0
    FROM a CROSS JOIN period p
    JOIN overlay_feature f ON ST_Intersects(a.geom, f.geom)
    JOIN overlay_dataset d ON d.id = f.dataset_id AND d.layer = 'incidents'
    WHERE $6::boolean AND f.observed_at >= p.t0 AND f.observed_at < p.t1
      AND ($2::text[] IS NULL OR d.programme = ANY ($2::text[]))
)
SELECT ST_X(pt.geom), ST_Y(pt.geom), pt.weight
FROM points pt CROSS JOIN period p
WHERE pt.weight > 0
  AND NOT EXISTS (SELECT 1 FROM camera c
                  WHERE c.view_geom && pt.geom AND ST_Intersects(c.view_geom, pt.geom)
                    AND c.status <> 'planned' AND ($2::text[] IS NULL OR c.programme = ANY ($2::text[]))
                    AND (c.active_from IS NULL OR c.active_from <= p.last_day)
                    AND (c.active_to IS NULL OR p.last_day < c.active_to))
