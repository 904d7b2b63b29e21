-- One current area as a GeoJSON Feature (WGS84) with its attributes and bbox.
-- $1 code, $2 caller scope (NULL = unrestricted): outside the scope it does not exist.
SELECT json_build_object(
    'type', 'Feature',
    'id', a.code,
    'bbox', json_build_array(ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b)),
    'geometry', ST_AsGeoJSON(ST_Transform(a.geom, 4326), 6)::json,
    'properties', json_build_object(
        'code', a.code, 'name', a.name, 'kind', a.kind, 'parent_code', a.parent_code,
        'exposure', a.exposure, 'exposure_unit', a.exposure_unit,
        'area_km2', round(a.area_km2::numeric, 3), 'valid_from', a.valid_from,
        'casustafels', (SELECT coalesce(json_agg(ca.casustafel_id ORDER BY ca.casustafel_id), '[]'::json)
                        FROM casustafel_area ca WHERE ca.area_code = a.code))
)::text
FROM area a
CROSS JOIN LATERAL (SELECT ST_Transform(ST_Envelope(a.geom), 4326)::box2d AS b) bbox
WHERE a.code = $1 AND a.valid_to IS NULL
  AND area_in_scope(a.geom, $2); -- within the reach (sql/functions/0100_reach.sql), not merely touching it
