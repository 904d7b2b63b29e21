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
