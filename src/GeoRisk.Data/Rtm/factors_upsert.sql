-- Upsert the features of one risk-factor layer on (dataset, external_id); identical rows are
-- not touched. Points come as x/y, other geometries as GeoJSON (already checked by
-- intake_feature_geometry). The feature's kind is the layer's factor kind.
-- $1 dataset code, $2 factor kind, $3.. parallel arrays: external_id, x, y, geometry json, srid, properties json.
WITH ds AS (
    SELECT id FROM overlay_dataset WHERE code = $1
), input AS (
    SELECT t.external_id, t.properties::jsonb AS properties,
           CASE WHEN t.json IS NOT NULL THEN (intake_feature_geometry(t.json, t.srid)).geom
                WHEN t.srid = 28992 THEN ST_SetSRID(ST_MakePoint(t.x, t.y), 28992)
                ELSE ST_Transform(ST_SetSRID(ST_MakePoint(t.x, t.y), 4326), 28992) END AS geom
    FROM unnest($3::text[], $4::float8[], $5::float8[], $6::text[], $7::int[], $8::text[])
         AS t(external_id, x, y, json, srid, properties)
)
INSERT INTO overlay_feature AS f (dataset_id, external_id, kind, observed_at, properties, geom)
SELECT ds.id, i.external_id, $2, NULL, i.properties, i.geom
FROM input i CROSS JOIN ds
ON CONFLICT (dataset_id, external_id) DO UPDATE
SET kind = EXCLUDED.kind, properties = EXCLUDED.properties, geom = EXCLUDED.geom
WHERE (f.kind, f.properties, ST_AsEWKB(f.geom)) IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.properties, ST_AsEWKB(EXCLUDED.geom))
RETURNING f.id, (f.xmax = 0) AS inserted
