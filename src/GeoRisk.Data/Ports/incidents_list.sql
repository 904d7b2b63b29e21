-- Incidents of the visible programmes in an area as GeoJSON (WGS84) with the properties that
-- passed the privacy gate at intake, plus counts per kind for the filter (before the kind filter).
-- $1 area code, $2 programmes (NULL = all; empty = none), $3 kind (NULL = all), $4 from, $5 to (exclusive).
WITH a AS (
    SELECT geom FROM area WHERE code = $1 AND valid_to IS NULL
), inc AS (
    SELECT f.*, d.code AS dataset, d.programme
    FROM a JOIN overlay_feature f ON ST_Intersects(a.geom, f.geom)
    JOIN overlay_dataset d ON d.id = f.dataset_id AND d.layer = 'incidents'
    WHERE ($2::text[] IS NULL OR d.programme = ANY ($2::text[]))
      AND ($4::date IS NULL OR f.observed_at >= ($4::date::timestamp AT TIME ZONE 'Europe/Amsterdam'))
      AND ($5::date IS NULL OR f.observed_at < ($5::date::timestamp AT TIME ZONE 'Europe/Amsterdam'))
)
SELECT json_build_object(
    'type', 'FeatureCollection',
    'counts', (SELECT coalesce(json_object_agg(kind, n ORDER BY kind), '{}'::json) FROM (SELECT kind, count(*) AS n FROM inc GROUP BY kind) k),
    'features', coalesce((SELECT json_agg(json_build_object(
        'type', 'Feature', 'id', i.id,
        'geometry', ST_AsGeoJSON(ST_Transform(i.geom, 4326), 6)::json,
        'properties', json_build_object('external_id', i.external_id, 'dataset', i.dataset, 'programme', i.programme,
                                        'kind', i.kind, 'observed_at', i.observed_at, 'properties', i.properties)
        ) ORDER BY i.observed_at, i.id) FROM inc i WHERE $3::text IS NULL OR i.kind = $3::text), '[]'::json))::text
