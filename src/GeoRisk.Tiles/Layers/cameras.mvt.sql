-- Vector tile of cameras: layer 'cameras' (points: owner, heading, field of view, range, status,
-- programme) and layer 'viewsheds' (what each camera sees: its sector clipped by obstacles).
-- Cameras belong to a programme: a caller bound to casustafels sees only those programmes'.
-- $1 z, $2 x, $3 y, $4 programmes text[] (NULL = all, empty = none).
WITH bounds AS (
    SELECT ST_TileEnvelope($1, $2, $3) AS env
), picked AS (
    SELECT c.* FROM camera c, bounds b
    WHERE c.viewshed_3857 && b.env
      AND ($4::text[] IS NULL OR c.programme = ANY ($4::text[]))
), points AS (
    SELECT p.external_id AS id, p.owner, p.heading_deg AS heading, p.fov_deg AS fov, p.range_m AS range, p.status, p.programme,
           ST_AsMVTGeom(p.geom_3857, b.env, 4096, 16, true) AS geom
    FROM picked p, bounds b
), sectors AS (
    SELECT p.external_id AS id, p.owner,
           ST_AsMVTGeom(ST_Transform(p.view_geom, 3857), b.env, 4096, 64, true) AS geom
    FROM picked p, bounds b
)
SELECT coalesce((SELECT ST_AsMVT(pt, 'cameras', 4096, 'geom') FROM points pt WHERE pt.geom IS NOT NULL), ''::bytea)
    || coalesce((SELECT ST_AsMVT(s, 'viewsheds', 4096, 'geom') FROM sectors s WHERE s.geom IS NOT NULL), ''::bytea)
