-- Camera coverage raster: viewsheds and camera positions in tile pixel space (WKB), then the kind.
-- $1 z, $2 x, $3 y, $4 programmes text[] (NULL = all, empty = none), $5 extent buffer. Views clipped by obstacles. kind: 'viewshed' or 'camera'.
WITH bounds AS (
    SELECT ST_TileEnvelope($1, $2, $3) AS env
), picked AS (
    SELECT c.* FROM camera c, bounds b
    WHERE c.viewshed_3857 && ST_Expand(b.env, ST_XMax(b.env) - ST_XMin(b.env)) -- positions just outside still draw their sector
      AND ($4::text[] IS NULL OR c.programme = ANY ($4::text[]))
)
SELECT ST_AsBinary(ST_AsMVTGeom(ST_Transform(p.view_geom, 3857), b.env, 4096, $5, true)) AS geom, 'viewshed' AS kind FROM picked p, bounds b
UNION ALL
SELECT ST_AsBinary(ST_AsMVTGeom(p.geom_3857, b.env, 4096, $5, true)), 'camera' FROM picked p, bounds b
