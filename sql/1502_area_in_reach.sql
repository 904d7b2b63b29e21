-- The one rule for "is this area in the caller's reach" (docs/access.md, "Scopes"): an area is
-- in reach when it lies within the reach — the union of the current geometries of the caller's
-- casustafels' areas (scope_geom) — up to a small tolerance for boundaries that were digitised
-- from different sources: at most 1 % of its surface may lie outside. An area that only touches
-- the reach, or of which only a part lies in it (Amstelveen around the flower auction: 1.4 %),
-- is not in reach: it is not listed, not scored, not tiled, not mapped, exactly as if it did not
-- exist (404). Its signals inside the reach stay visible through the casustafel's own areas.
-- Call it with the reach computed once per query: area_in_reach(a.geom, sc.geom), where sc.geom
-- is NULL for an unrestricted caller.
CREATE FUNCTION area_in_reach(area_geom geometry, reach geometry)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT reach IS NULL
        OR (area_geom && reach
            AND (ST_CoveredBy(area_geom, reach)
                 OR (ST_Intersects(area_geom, reach)
                     AND ST_Area(ST_Intersection(area_geom, reach)) >= 0.99 * ST_Area(area_geom))))
$$;

-- The same for a scope given as casustafel ids (NULL = unrestricted), for one-area lookups.
CREATE FUNCTION area_in_scope(area_geom geometry, scope text[])
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT scope IS NULL OR area_in_reach(area_geom, scope_geom(scope))
$$;
