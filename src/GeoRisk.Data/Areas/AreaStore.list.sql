-- Current areas as one GeoJSON FeatureCollection in WGS84 (RFC 7946: lon/lat, 6 decimals ≈ 0.1 m).
-- $1 kind (NULL = all), $2 caller scope (casustafel ids; NULL = unrestricted).
WITH visible AS (
    SELECT a.*
    FROM area a
    WHERE a.valid_to IS NULL
      AND ($1::text IS NULL OR a.kind = $1)
      AND area_in_scope(a.geom, $2) -- within the reach (sql/functions/0100_reach.sql), not merely touching it
)
SELECT json_build_object(
    'type', 'FeatureCollection',
    'features', coalesce(json_agg(json_build_object(
        'type', 'Feature',
        'id', v.code,
        'geometry', ST_AsGeoJSON(ST_Transform(v.geom, 4326), 6)::json,
        'properties', json_build_object(
            'code', v.code, 'name', v.name, 'kind', v.kind, 'parent_code', v.parent_code,
            'exposure', v.exposure, 'exposure_unit', v.exposure_unit,
            'area_km2', round(v.area_km2::numeric, 3), 'valid_from', v.valid_from)
    ) ORDER BY v.kind, v.code), '[]'::json)
)::text,
       count(*) -- features returned, for the audit log
FROM visible v;
