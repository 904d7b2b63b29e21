-- Trend for the report: signals per sub-area in the window of equal length before the scan's
-- window, with the same frozen boundaries, categories and cut-off.
WITH s AS (
    SELECT * FROM scan WHERE id = $1
), categories AS (
    SELECT ARRAY(SELECT w.key FROM scoring_profile sp, jsonb_each(sp.params -> 'category_weights') w
                 WHERE sp.name = s.profile_name AND sp.version = s.profile_version AND w.value::text::float8 > 0) AS codes
    FROM s
)
SELECT sa.code, count(sig.id)::int, coalesce(sum(sig.record_key), 0)::bigint -- the key sum, for publish_count
FROM s
CROSS JOIN categories c
JOIN scan_area sa ON sa.scan_id = s.id
JOIN area a ON a.id = sa.area_id
LEFT JOIN signal sig ON ST_Intersects(a.geom, sig.geom)
     AND sig.observed_at + interval '0' >= ((s.window_from - (s.window_to - s.window_from + 1))::timestamp AT TIME ZONE 'Europe/Amsterdam')
     AND sig.observed_at + interval '0' < (s.window_from::timestamp AT TIME ZONE 'Europe/Amsterdam')
     AND sig.imported_at <= s.cutoff AND sig.category = ANY (c.codes)
GROUP BY sa.code
