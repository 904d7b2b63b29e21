-- A demo tile layer: one point per current area (inside the area), with its code and kind.
-- All a new layer needs in SQL: tile_<id>(z, x, y, filter, scope, k) returning the MVT, with
-- the shared helpers for the caller's reach (scope_reach, area_in_reach).
CREATE OR REPLACE FUNCTION tile_demo(z int, x int, y int, filter jsonb, scope text[], k int)
RETURNS bytea
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    WITH bounds AS (
        SELECT ST_TileEnvelope(z, x, y) AS env
    ), reach AS (
        SELECT scope_reach(scope) AS geom
    )
    SELECT coalesce(ST_AsMVT(f, 'demo', 4096, 'geom'), ''::bytea)
    FROM (
        SELECT a.code, a.kind, ST_AsMVTGeom(ST_PointOnSurface(a.geom_3857), b.env, 4096, 16, true) AS geom
        FROM area a, bounds b, reach r
        WHERE a.valid_to IS NULL AND a.geom_3857 && b.env AND area_in_reach(a.geom, r.geom)
    ) f
    WHERE f.geom IS NOT NULL
$$;

-- Its PNG tiles and its place in an area's map cut-out: the same points in the pixel space of a
-- box (a tile, or the cut-out), with a class and a value the raster style reads (here: the area's
-- kind and nothing). The definition's style draws them; the contract is in
-- sql/functions/1800_tile_rasters.sql.
CREATE OR REPLACE FUNCTION tile_demo_raster(bounds geometry, extent int, buffer int, filter jsonb, scope text[], k int)
RETURNS TABLE (geom bytea, class text, value float8)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT ST_AsBinary(ST_AsMVTGeom(ST_PointOnSurface(a.geom_3857), bounds::box2d, extent, buffer, true)), a.kind, NULL::float8
    FROM area a, (SELECT scope_reach(scope) AS geom) r
    WHERE a.valid_to IS NULL AND a.geom_3857 && ST_Expand(bounds, ST_XMax(bounds) - ST_XMin(bounds)) AND area_in_reach(a.geom, r.geom)
$$;
