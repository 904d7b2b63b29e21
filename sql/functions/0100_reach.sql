-- Who reaches what. A caller scoped to casustafels reaches the union of the current boundaries
-- of their areas; a caller without scope (NULL) reaches everything; an empty array reaches
-- nothing. Two tests of "in reach", on purpose different:
--  * in_reach: a point or small feature (signal, camera, incident) is in reach when it touches
--    the reach;
--  * area_in_reach: an area is in reach when its interior meets the reach's interior, so that a
--    neighbouring area that only shares a border stays out.
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
AS $$ SELECT reach IS NULL OR ST_Relate(g, reach, 'T********') $$;
