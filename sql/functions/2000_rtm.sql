-- Risk Terrain Modeling (gelegenheidskaarten): the SQL half. PostGIS builds the inputs of the
-- model (cells of a study area, distances from each cell to the factor features near it,
-- signal counts per cell and period); GeoRisk.Core.Rtm fits the model; rtm_mvt draws it.

-- A risk-factor feature of any geometry type (point, line, polygon) from GeoJSON, in RD New.
-- error: 'unreadable', 'empty', 'outside' (not in the Netherlands: a CRS or axis mistake).
-- Invalid polygons are repaired (as area boundaries are); lines and points pass as they are.
CREATE OR REPLACE FUNCTION intake_feature_geometry(geojson text, srid int, OUT geom geometry, OUT error text)
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    g geometry;
BEGIN
    BEGIN
        g := ST_SetSRID(ST_GeomFromGeoJSON(geojson), srid);
    EXCEPTION WHEN others THEN
        error := 'unreadable';
        RETURN;
    END;
    IF g IS NULL OR ST_IsEmpty(g) THEN
        error := 'empty';
        RETURN;
    END IF;
    IF srid <> 28992 THEN
        BEGIN
            g := ST_Transform(g, 28992);
        EXCEPTION WHEN others THEN
            error := 'outside';
            RETURN;
        END;
    END IF;
    IF NOT ST_Intersects(g, ST_MakeEnvelope(0, 300000, 300000, 625000, 28992)) THEN
        error := 'outside';
        RETURN;
    END IF;
    IF GeometryType(g) IN ('POLYGON', 'MULTIPOLYGON') AND NOT (ST_IsValidDetail(g)).valid THEN
        g := ST_CollectionExtract(ST_MakeValid(g), 3);
        IF g IS NULL OR ST_IsEmpty(g) THEN
            error := 'empty';
            RETURN;
        END IF;
    END IF;
    geom := g;
END
$$;

-- The cells of a study area on the hexagon grid of size_m: every cell whose centre lies in the
-- area's current boundary (a cell belongs to exactly one side of a border that way).
-- Candidates come from the axial ranges of the bounding box, one row per q column.
CREATE OR REPLACE FUNCTION rtm_cells(area_code text, size_m int)
RETURNS TABLE (q int, r int, x float8, y float8)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    WITH a AS (
        SELECT geom, ST_XMin(geom) AS x0, ST_YMin(geom) AS y0, ST_XMax(geom) AS x1, ST_YMax(geom) AS y1
        FROM area WHERE code = area_code AND valid_to IS NULL
    ), candidates AS (
        SELECT gq AS q, gr AS r,
               1.5::float8 * size_m::float8 * gq AS x,
               sqrt(3::float8) * size_m::float8 * (gr + gq / 2::float8) AS y
        FROM a
        CROSS JOIN generate_series(floor(a.x0 / (1.5 * size_m))::int - 1, ceil(a.x1 / (1.5 * size_m))::int + 1) AS gq
        CROSS JOIN generate_series(floor(a.y0 / (sqrt(3::float8) * size_m) - gq / 2.0)::int - 1,
                                   ceil(a.y1 / (sqrt(3::float8) * size_m) - gq / 2.0)::int + 1) AS gr
    )
    SELECT c.q, c.r, c.x, c.y
    FROM candidates c, a
    WHERE ST_Intersects(a.geom, ST_SetSRID(ST_MakePoint(c.x, c.y), 28992))
$$;

-- The design matrix in sparse form: for every cell of the study area and every factor kind,
-- the distances (metres, ascending) from the cell centre to each factor feature of that kind
-- within reach_m. A cell with no feature of a kind within reach_m has no row for it. Proximity
-- (nearest distance ≤ d) and density (features within a bandwidth) both follow from this list.
CREATE OR REPLACE FUNCTION rtm_design(area_code text, size_m int, kinds text[], reach_m float8)
RETURNS TABLE (q int, r int, kind text, distances float8[])
LANGUAGE sql STABLE
AS $$
    WITH cells AS (
        SELECT c.q, c.r, ST_SetSRID(ST_MakePoint(c.x, c.y), 28992) AS pt FROM rtm_cells(area_code, size_m) c
    )
    SELECT c.q, c.r, d.factor_kind, array_agg(ST_Distance(c.pt, f.geom) ORDER BY ST_Distance(c.pt, f.geom))
    FROM cells c
    JOIN overlay_feature f ON ST_DWithin(f.geom, c.pt, reach_m)
    JOIN overlay_dataset d ON d.id = f.dataset_id AND d.layer = 'factor' AND d.factor_kind = ANY (kinds)
    GROUP BY c.q, c.r, d.factor_kind
$$;

-- Signals per cell of the study area in [from_ts, to_ts), optionally of some categories only.
-- A signal counts in the cell that contains it when that cell belongs to the study area.
-- key_sum: the sum of the record keys of the counted signals (publish_count, 0610_cell_key.sql);
-- the result type grew that column, which CREATE OR REPLACE cannot change.
DROP FUNCTION IF EXISTS rtm_counts(text, int, timestamptz, timestamptz, text[]);
CREATE OR REPLACE FUNCTION rtm_counts(area_code text, size_m int, from_ts timestamptz, to_ts timestamptz, categories text[])
RETURNS TABLE (q int, r int, n int, key_sum bigint)
LANGUAGE sql STABLE
AS $$
    WITH a AS (SELECT geom FROM area WHERE code = area_code AND valid_to IS NULL),
    binned AS (
        SELECT hex_q(size_m, ST_X(s.geom), ST_Y(s.geom)) AS q, hex_r(size_m, ST_X(s.geom), ST_Y(s.geom)) AS r, s.record_key
        FROM signal s, a
        WHERE ST_DWithin(s.geom, a.geom, size_m)
          AND s.observed_at >= from_ts AND s.observed_at < to_ts
          AND (categories IS NULL OR s.category = ANY (categories))
    )
    SELECT b.q, b.r, count(*)::int, sum(b.record_key)::bigint
    FROM binned b
    JOIN rtm_cells(area_code, size_m) c ON c.q = b.q AND c.r = b.r
    GROUP BY b.q, b.r
$$;

-- The legend class of a relative risk score: 0 = no risk-raising factor (RRS = 1), then
-- (1, 2], (2, 4], (4, 8], above 8. GeoRisk.Core.Rtm.RrsClasses holds the same bounds.
CREATE OR REPLACE FUNCTION rtm_rrs_class(rrs float8)
RETURNS int
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT CASE WHEN rrs <= 1 THEN 0 WHEN rrs <= 2 THEN 1 WHEN rrs <= 4 THEN 2 WHEN rrs <= 8 THEN 3 ELSE 4 END $$;

-- Stored models change the gelegenheidskaart tiles: their cache keys carry data_version 'rtm'.
CREATE OR REPLACE TRIGGER rtm_model_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON rtm_model
    FOR EACH STATEMENT EXECUTE FUNCTION tile_data_version_bump('rtm');

-- The newest model of every study area in the caller's reach (the gelegenheidskaart's vector
-- tiles and raster, tile_gelegenheidskaart_raster in 1800_tile_rasters.sql).
CREATE OR REPLACE FUNCTION rtm_latest_models(scope text[])
RETURNS TABLE (id bigint, study_area text, version int)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT DISTINCT ON (m.study_area) m.id, m.study_area, m.version
    FROM rtm_model m
    JOIN area a ON a.code = m.study_area AND a.valid_to IS NULL
    CROSS JOIN (SELECT scope_reach(scope) AS geom) reach
    WHERE area_in_reach(a.geom, reach.geom)
    ORDER BY m.study_area, m.version DESC
$$;

-- Vector tile of the gelegenheidskaart (tile layer 'gelegenheidskaart'): the cells of the newest
-- model of every study area in the caller's reach whose RRS is above 1 (a risk-raising factor
-- is present), with RRS, its legend class and the factors present. No signal counts: the
-- terrain is not signal data. filter and k are not used.
CREATE OR REPLACE FUNCTION tile_gelegenheidskaart(z int, x int, y int, filter jsonb, scope text[], k int)
RETURNS bytea
LANGUAGE sql STABLE PARALLEL SAFE
AS $fn$
    WITH bounds AS (
        SELECT ST_TileEnvelope(z, x, y) AS env
    ), latest AS (
        SELECT * FROM rtm_latest_models(scope)
    ), features AS (
        SELECT l.study_area, l.version, round(c.rrs::numeric, 3)::float8 AS rrs, rtm_rrs_class(c.rrs) AS rrs_class,
               array_to_string(c.factors, ' ') AS factors,
               ST_AsMVTGeom(c.geom_3857, b.env, 4096, 16, true) AS geom
        FROM latest l
        JOIN rtm_cell c ON c.model_id = l.id
        CROSS JOIN bounds b
        WHERE c.geom_3857 && b.env AND c.rrs > 1
    )
    SELECT coalesce(ST_AsMVT(f, 'gelegenheidskaart', 4096, 'geom'), ''::bytea)
    FROM features f
    WHERE f.geom IS NOT NULL
$fn$;

-- Gelegenheidskaart: the cells with RRS > 1 of the newest model of every study area in reach,
-- by legend class (value): the raster of the layer (contract: 1800_tile_rasters.sql).
CREATE OR REPLACE FUNCTION tile_gelegenheidskaart_raster(bounds geometry, extent int, buffer int, filter jsonb, scope text[], k int) RETURNS TABLE (geom bytea, class text, value float8) LANGUAGE sql STABLE PARALLEL SAFE AS $fn$
    SELECT ST_AsBinary(ST_AsMVTGeom(c.geom_3857, bounds::box2d, extent, buffer, true)), NULL::text, rtm_rrs_class(c.rrs)::float8
    FROM rtm_latest_models(scope) l
    JOIN rtm_cell c ON c.model_id = l.id
    WHERE c.geom_3857 && bounds AND c.rrs > 1
$fn$;
