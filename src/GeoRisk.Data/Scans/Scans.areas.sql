-- The frozen boundaries of a scan's sub-areas as a GeoJSON FeatureCollection (WGS84, 6 decimals).
SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
    'type', 'Feature', 'id', sa.code,
    'geometry', ST_AsGeoJSON(ST_Transform(a.geom, 4326), 6)::json,
    'properties', json_build_object('code', sa.code, 'name', sa.name, 'rank', sa.rank)) ORDER BY sa.rank), '[]'::json))::text
FROM scan_area sa JOIN area a ON a.id = sa.area_id
WHERE sa.scan_id = $1
