-- Camera coverage raster: viewsheds and camera positions in tile pixel space (WKB), then the kind.
-- $1 z, $2 x, $3 y, $4 scope text[], $5 extent buffer. kind: 'viewshed' or 'camera'.
WITH bounds AS (
    SELECT ST_TileEnvelope($1, $2, $3) AS env
), scope AS (
    SELECT CASE WHEN $4::text[] IS NULL THEN NULL ELSE scope_geom($4::text[]) END AS geom
), picked AS (
    SELECT c.* FROM camera c, bounds b, scope sc
    WHERE c.viewshed_3857 && ST_Expand(b.env, ST_XMax(b.env) - ST_XMin(b.env)) -- positions just outside still draw their sector
      AND ($4::text[] IS NULL OR ST_Intersects(c.geom, sc.geom))
)
SELECT ST_AsBinary(ST_AsMVTGeom(p.viewshed_3857, b.env, 4096, $5, true)) AS geom, 'viewshed' AS kind FROM picked p, bounds b
UNION ALL
SELECT ST_AsBinary(ST_AsMVTGeom(p.geom_3857, b.env, 4096, $5, true)), 'camera' FROM picked p, bounds b
