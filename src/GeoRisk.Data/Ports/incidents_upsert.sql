-- Upsert the incidents of one dataset on (dataset, external_id); identical rows are not touched.
-- Points come as x/y, polygons as GeoJSON (already checked by intake_area_geometry).
-- $1 dataset code, $2.. parallel arrays: external_id, kind, observed_at, x, y, polygon json, srid, properties json.
WITH ds AS (
    SELECT id FROM overlay_dataset WHERE code = $1
), input AS (
    SELECT t.external_id, t.kind, t.observed_at, t.properties::jsonb AS properties,
           CASE WHEN t.polygon IS NOT NULL THEN (intake_area_geometry(t.polygon, t.srid)).geom
                WHEN t.srid = 28992 THEN ST_SetSRID(ST_MakePoint(t.x, t.y), 28992)
                ELSE ST_Transform(ST_SetSRID(ST_MakePoint(t.x, t.y), 4326), 28992) END AS geom
    FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::float8[], $6::float8[], $7::text[], $8::int[], $9::text[])
         AS t(external_id, kind, observed_at, x, y, polygon, srid, properties)
)
INSERT INTO overlay_feature AS f (dataset_id, external_id, kind, observed_at, properties, geom)
SELECT ds.id, i.external_id, i.kind, i.observed_at, i.properties, i.geom
FROM input i CROSS JOIN ds
ON CONFLICT (dataset_id, external_id) DO UPDATE
SET kind = EXCLUDED.kind, observed_at = EXCLUDED.observed_at, properties = EXCLUDED.properties, geom = EXCLUDED.geom
WHERE (f.kind, f.observed_at, f.properties, ST_AsEWKB(f.geom)) IS DISTINCT FROM
      (EXCLUDED.kind, EXCLUDED.observed_at, EXCLUDED.properties, ST_AsEWKB(EXCLUDED.geom))
RETURNING f.id, (f.xmax = 0) AS inserted
