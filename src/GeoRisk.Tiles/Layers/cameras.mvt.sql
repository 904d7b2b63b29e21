-- Vector tile of cameras: layer 'cameras' (points: owner, heading, field of view, range) and
-- layer 'viewsheds' (the sector each camera sees). Cameras are not signals, but a scoped caller
-- still sees only the cameras in reach.
-- $1 z, $2 x, $3 y, $4 scope text[].
WITH bounds AS (
    SELECT ST_TileEnvelope($1, $2, $3) AS env
), scope AS (
    SELECT CASE WHEN $4::text[] IS NULL THEN NULL ELSE scope_geom($4::text[]) END AS geom
), picked AS (
    SELECT c.* FROM camera c, bounds b, scope sc
    WHERE c.viewshed_3857 && b.env
      AND ($4::text[] IS NULL OR ST_Intersects(c.geom, sc.geom))
), points AS (
    SELECT p.external_id AS id, p.owner, p.heading_deg AS heading, p.fov_deg AS fov, p.range_m AS range,
           ST_AsMVTGeom(p.geom_3857, b.env, 4096, 16, true) AS geom
    FROM picked p, bounds b
), sectors AS (
    SELECT p.external_id AS id, p.owner,
           ST_AsMVTGeom(p.viewshed_3857, b.env, 4096, 64, true) AS geom
    FROM picked p, bounds b
)
SELECT coalesce((SELECT ST_AsMVT(pt, 'cameras', 4096, 'geom') FROM points pt WHERE pt.geom IS NOT NULL), ''::bytea)
    || coalesce((SELECT ST_AsMVT(s, 'viewsheds', 4096, 'geom') FROM sectors s WHERE s.geom IS NOT NULL), ''::bytea)
