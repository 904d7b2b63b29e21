-- Camera coverage as a tile layer: the signals in a programme's areas and the programme's
-- incidents, each marked covered when the view of one of the programme's cameras that was active
-- on its day (Europe/Amsterdam; not planned, active_from <= day < active_to) holds it — the rule
-- of GET /api/ports/coverage. Scope as the cameras and incidents layers: the programmes the
-- caller sees (NULL all, empty none). Suppressed callers (viewers) are given no programme by the
-- tile service, so they get nothing; k not NULL still leaves out signal points, a second guard
-- because signals are single points.
--
-- A programme is a casustafel id: its areas are the casustafel's areas. With NULL scope every
-- programme that has cameras or an incident dataset counts, and a signal is covered by the
-- camera of any of them.

-- Whether an active camera of the programmes views geom on the day of instant `at`.
CREATE OR REPLACE FUNCTION camera_covers(g geometry, at timestamptz, programmes text[])
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT EXISTS (
        SELECT 1 FROM camera c
        WHERE c.view_geom && g AND ST_Intersects(c.view_geom, g)
          AND c.status <> 'planned'
          AND (programmes IS NULL OR c.programme = ANY (programmes))
          AND (c.active_from IS NULL OR c.active_from <= (at AT TIME ZONE 'Europe/Amsterdam')::date)
          AND (c.active_to IS NULL OR (at AT TIME ZONE 'Europe/Amsterdam')::date < c.active_to))
$$;

-- The features of the coverage layer in an EPSG:3857 box (a tile, a map cut-out), for the vector
-- tile (tile_coverage) and the raster (tile_coverage_raster in 1800_tile_rasters.sql).
CREATE OR REPLACE FUNCTION coverage_features(bounds geometry, filter jsonb, scope text[], k int)
RETURNS TABLE (what text, code text, observed_at timestamptz, covered boolean, geom_3857 geometry)
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $fn$
BEGIN
    IF scope IS NOT NULL AND cardinality(scope) = 0 THEN
        RETURN;
    END IF;
    RETURN QUERY EXECUTE $q$
        WITH bounds AS (
            SELECT $1 AS env
        ), programmes AS MATERIALIZED (
            SELECT p FROM unnest($2::text[]) AS p WHERE $2::text[] IS NOT NULL
            UNION
            SELECT programme FROM camera WHERE $2::text[] IS NULL
            UNION
            SELECT programme FROM overlay_dataset WHERE $2::text[] IS NULL AND layer = 'incidents' AND programme IS NOT NULL
        ), reach AS MATERIALIZED (
            -- The programmes' areas that touch the box, as one geometry.
            SELECT ST_Union(a.geom) AS geom
            FROM programmes p
            JOIN casustafel_area ca ON ca.casustafel_id = p.p
            JOIN area a ON a.code = ca.area_code AND a.valid_to IS NULL
            CROSS JOIN bounds b
            WHERE ST_Transform(b.env, 28992) && a.geom
        ), sig AS (
            SELECT 'signal'::text AS what, s.category AS code, s.observed_at, s.geom, s.geom_3857
            FROM signal s, bounds b, reach r
            WHERE $6::int IS NULL AND r.geom IS NOT NULL
              AND s.geom_3857 && b.env AND ST_Intersects(s.geom, r.geom)
              AND ($3::text[] IS NULL OR s.category = ANY ($3::text[]))
              AND ($4::timestamptz IS NULL OR s.observed_at >= $4::timestamptz)
              AND ($5::timestamptz IS NULL OR s.observed_at < $5::timestamptz)
        ), inc AS (
            SELECT 'incident'::text AS what, f.kind AS code, f.observed_at, f.geom, f.geom_3857
            FROM overlay_feature f
            JOIN overlay_dataset d ON d.id = f.dataset_id AND d.layer = 'incidents'
            CROSS JOIN bounds b
            WHERE f.geom_3857 && b.env
              AND d.programme IN (SELECT p FROM programmes)
              AND ($4::timestamptz IS NULL OR f.observed_at >= $4::timestamptz)
              AND ($5::timestamptz IS NULL OR f.observed_at < $5::timestamptz)
        )
        SELECT u.what, u.code, u.observed_at,
               camera_covers(u.geom, u.observed_at, (SELECT array_agg(p) FROM programmes)),
               u.geom_3857
        FROM (SELECT * FROM sig UNION ALL SELECT * FROM inc) u
    $q$
    USING bounds, scope, tile_filter_categories(filter), (filter ->> 'from')::timestamptz, (filter ->> 'to')::timestamptz, k;
END
$fn$;

CREATE OR REPLACE FUNCTION tile_coverage(z int, x int, y int, filter jsonb, scope text[], k int)
RETURNS bytea
LANGUAGE sql STABLE PARALLEL SAFE
AS $fn$
    SELECT coalesce(ST_AsMVT(f, 'coverage', 4096, 'geom'), ''::bytea)
    FROM (
        SELECT c.what, c.code, to_char(c.observed_at AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM') AS month, c.covered,
               ST_AsMVTGeom(c.geom_3857, ST_TileEnvelope(z, x, y), 4096, 16, true) AS geom
        FROM coverage_features(ST_TileEnvelope(z, x, y), filter, scope, k) c
    ) f
    WHERE f.geom IS NOT NULL
$fn$;
