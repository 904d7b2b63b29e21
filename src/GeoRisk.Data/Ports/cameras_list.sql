-- Cameras of the visible programmes whose view reaches into an area, as GeoJSON (WGS84): the
-- position as the feature's geometry, the view (clipped by obstacles) as a property.
-- $1 area code, $2 programmes (NULL = all; empty = none).
WITH a AS (
    SELECT geom FROM area WHERE code = $1 AND valid_to IS NULL
)
SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
    'type', 'Feature', 'id', c.id,
    'geometry', ST_AsGeoJSON(ST_Transform(c.geom, 4326), 6)::json,
    'properties', json_build_object(
        'external_id', c.external_id, 'programme', c.programme, 'owner', c.owner, 'description', c.description,
        'heading', c.heading_deg, 'fov', c.fov_deg, 'range', c.range_m, 'height', c.height_m, 'status', c.status,
        'active_from', c.active_from, 'active_to', c.active_to,
        'clipped', NOT ST_Equals(c.view_geom, c.viewshed),
        'view', ST_AsGeoJSON(ST_Transform(c.view_geom, 4326), 6)::json)
    ) ORDER BY c.programme, c.external_id), '[]'::json))::text
FROM a JOIN camera c ON ST_Intersects(c.view_geom, a.geom)
WHERE $2::text[] IS NULL OR c.programme = ANY ($2::text[])
