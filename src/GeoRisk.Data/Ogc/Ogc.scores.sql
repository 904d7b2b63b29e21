-- Source of the OGC API collection 'scores': every current area with its newest stored score
-- (any profile; the same choice as the areas tiles), joined to the area's boundary.
-- $1 caller scope, $2 suppression k (NULL: none): suppressed callers get the signal and source
-- counts as publish_count gives them (with the key sums stored beside the counts), $3 unused.
SELECT a.code AS id, a.geom, a.geom_4326 AS geom_crs84, a.geom_3857 AS geom_webmercator, a.geojson_crs84, a.geojson_rd,
       a.code, a.name, a.kind,
       round(l.score::numeric, 1)::float8 AS score,
       l.profile_name AS profile, l.profile_version,
       l.reference_date,
       CASE WHEN $2::int IS NULL THEN l.signal_count ELSE publish_count(l.signal_count, l.key_sum, $2::int) END AS signal_count,
       CASE WHEN $2::int IS NULL THEN l.source_count ELSE publish_count(l.source_count, l.source_key_sum, $2::int) END AS source_count,
       score_kandidaat(l.kandidaat, l.flags) AS kandidaat
FROM area a
JOIN LATERAL (
    SELECT s.* FROM score s
    WHERE s.area_id = a.id
    ORDER BY s.reference_date DESC, s.profile_version DESC, s.computed_at DESC
    LIMIT 1
) l ON true
WHERE a.valid_to IS NULL
  AND ($1::text[] IS NULL OR ST_Relate(a.geom, (SELECT scope_geom($1::text[])), 'T********'))
