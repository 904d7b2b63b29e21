-- Upsert a programme's obstacles on (programme, external_id); identical rows are not touched.
-- Footprints pass intake_area_geometry (transform to RD New, repair). Returns (id, inserted)
-- of written rows; the caller re-clips the cameras near them.
-- $1 programme, $2.. parallel arrays: external_id, kind, height, GeoJSON, srid.
WITH input AS (
    SELECT t.external_id, t.kind, t.height, ST_Multi((intake_area_geometry(t.json, t.srid)).geom) AS geom
    FROM unnest($2::text[], $3::text[], $4::float8[], $5::text[], $6::int[]) AS t(external_id, kind, height, json, srid)
)
INSERT INTO obstacle AS o (programme, external_id, kind, height_m, geom)
SELECT $1, i.external_id, i.kind, i.height, i.geom FROM input i
ON CONFLICT (programme, external_id) DO UPDATE
SET kind = EXCLUDED.kind, height_m = EXCLUDED.height_m, geom = EXCLUDED.geom, updated_at = now()
WHERE (o.kind, o.height_m, ST_AsEWKB(o.geom)) IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.height_m, ST_AsEWKB(EXCLUDED.geom))
RETURNING o.id, (o.xmax = 0) AS inserted
