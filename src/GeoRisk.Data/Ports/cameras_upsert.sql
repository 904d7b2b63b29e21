-- Upsert a programme's camera registry on (programme, external_id); identical rows are not
-- touched (no updated_at, no data_version bump). Returns (id, inserted) per written row.
-- $1 programme, $2.. parallel arrays: external_id, owner, description, x, y, srid, heading,
-- fov, range, height, status, active_from, active_to.
WITH input AS (
    SELECT t.*,
           CASE WHEN t.srid = 28992 THEN ST_SetSRID(ST_MakePoint(t.x, t.y), 28992)
                ELSE ST_Transform(ST_SetSRID(ST_MakePoint(t.x, t.y), 4326), 28992) END AS geom
    FROM unnest($2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::int[], $8::float8[], $9::float8[],
                $10::float8[], $11::float8[], $12::text[], $13::date[], $14::date[])
         AS t(external_id, owner, description, x, y, srid, heading, fov, range, height, status, active_from, active_to)
)
INSERT INTO camera AS c (programme, external_id, owner, description, geom, heading_deg, fov_deg, range_m, height_m, status, active_from, active_to)
SELECT $1, i.external_id, i.owner, i.description, i.geom, i.heading, i.fov, i.range, i.height, i.status, i.active_from, i.active_to
FROM input i
ON CONFLICT (programme, external_id) DO UPDATE
SET owner = EXCLUDED.owner, description = EXCLUDED.description, geom = EXCLUDED.geom, heading_deg = EXCLUDED.heading_deg,
    fov_deg = EXCLUDED.fov_deg, range_m = EXCLUDED.range_m, height_m = EXCLUDED.height_m, status = EXCLUDED.status,
    active_from = EXCLUDED.active_from, active_to = EXCLUDED.active_to, updated_at = now()
WHERE (c.owner, c.description, ST_AsEWKB(c.geom), c.heading_deg, c.fov_deg, c.range_m, c.height_m, c.status, c.active_from, c.active_to)
      IS DISTINCT FROM
      (EXCLUDED.owner, EXCLUDED.description, ST_AsEWKB(EXCLUDED.geom), EXCLUDED.heading_deg, EXCLUDED.fov_deg, EXCLUDED.range_m,
       EXCLUDED.height_m, EXCLUDED.status, EXCLUDED.active_from, EXCLUDED.active_to)
RETURNING c.id, (c.xmax = 0) AS inserted
