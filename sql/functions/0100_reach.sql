-- Who reaches what. A caller scoped to casustafels reaches the union of the current boundaries
-- of their areas; a caller without scope (NULL) reaches everything; an empty array reaches
-- nothing. Two tests of "in reach", on purpose different:
--  * in_reach: a point or small feature (signal, camera, incident) is in reach when it touches
--    the reach;
--  * area_in_reach: an area is in reach when it lies within the reach (docs/access.md, "Scopes"),
--    up to a small tolerance for boundaries digitised from different sources: at most 1 % of its
--    surface may lie outside. An area that only touches the reach, or of which only a part lies
--    in it (Amstelveen around the flower auction: 1.4 %), is not in reach: it is not listed,
--    scored, tiled or mapped, exactly as if it did not exist (404). Its signals inside the reach
--    stay visible through the casustafel's own areas.
-- Compute the reach once per query (scope_reach) and pass it to the tests: scope_geom unions
-- polygons and costs far more than the tests.

-- The reach of a caller scoped to casustafels: the union of the current boundaries of their
-- areas (RD New). NULL casustafels means unrestricted and is handled by the caller (scope_reach
-- below answers NULL for it); an empty array reaches nothing.
CREATE OR REPLACE FUNCTION scope_geom(casustafels text[])
RETURNS geometry
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT coalesce(ST_Union(a.geom), ST_GeomFromText('MULTIPOLYGON EMPTY', 28992))
    FROM casustafel_area ca
    JOIN area a ON a.code = ca.area_code AND a.valid_to IS NULL
    WHERE ca.casustafel_id = ANY (casustafels)
$$;

-- The reach for a scope, NULL for an unrestricted caller: use once per query, e.g.
--   WITH reach AS (SELECT scope_reach($scope) AS geom) ... WHERE in_reach(s.geom, reach.geom)
CREATE OR REPLACE FUNCTION scope_reach(casustafels text[])
RETURNS geometry
LANGUAGE sql STABLE PARALLEL SAFE
AS $$ SELECT CASE WHEN casustafels IS NULL THEN NULL ELSE scope_geom(casustafels) END $$;

-- Single expressions and not STRICT, so the planner inlines them into the calling query.
CREATE OR REPLACE FUNCTION in_reach(g geometry, reach geometry)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT reach IS NULL OR ST_Intersects(g, reach) $$;

CREATE OR REPLACE FUNCTION area_in_reach(g geometry, reach geometry)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT reach IS NULL
        OR (g && reach
            AND (ST_CoveredBy(g, reach)
                 OR (ST_Intersects(g, reach)
                     AND ST_Area(ST_Intersection(g, reach)) >= 0.99 * ST_Area(g))))
$$;

-- The same for a scope given as casustafel ids (NULL = unrestricted), for one-area lookups.
CREATE OR REPLACE FUNCTION area_in_scope(area_geom geometry, scope text[])
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT scope IS NULL OR area_in_reach(area_geom, scope_geom(scope))
$$;
