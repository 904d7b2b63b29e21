-- Getis-Ord Gi* hot spots of one area on a hexagon grid: the one statistic behind the hot-spot
-- endpoint (src/GeoRisk.Data/Scoring/AreaHotspots.sql) and the hotspots tile layer, so that a
-- cell has the same class on the map as in the endpoint's answer for the same filter.
-- Study region: every cell whose centre lies in the area, plus every cell holding one of the
-- area's signals; the value of a cell is the number of the area's signals in it (zeros count);
-- gi_star gives z, p, Benjamini-Hochberg adjusted p and the bin (docs/scoring.md, "Hot spots").
--   from_date inclusive, to_date exclusive (calendar days in Amsterdam); categories NULL = all;
--   scope: the caller's casustafels (NULL = unrestricted): an area outside the reach has no cells,
--   and only signals inside the reach count.
-- key_sum is the sum of the record keys of the cell's counted signals (0 for an empty cell), for
-- publish_count. The result type grew that column, which CREATE OR REPLACE cannot change.
DROP FUNCTION IF EXISTS area_hotspot_cells(text, int, date, date, text[], int, text[]);
CREATE OR REPLACE FUNCTION area_hotspot_cells(area_code text, size_m int, from_date date, to_date date,
                                              categories text[], rings int, scope text[])
RETURNS TABLE (q int, r int, x float8, z float8, p float8, p_adjusted float8, bin int, key_sum bigint)
LANGUAGE sql STABLE
AS $$
    WITH a AS (
        SELECT a.id, a.geom FROM area a
        WHERE a.code = area_code AND a.valid_to IS NULL
          AND area_in_scope(a.geom, scope) -- within the reach (sql/functions/0100_reach.sql)
    ), reach AS MATERIALIZED (
        SELECT scope_reach(scope) AS geom
    ), xy AS (
        -- The area's signals are its pairs in signal_area (the ST_Intersects pairs, kept current at
        -- ingest) with the signal's position, one range of the (area, time) index: no signal row
        -- is read. The point is rebuilt (the same coordinates) only for a scoped caller.
        -- The fractional axial coordinates are hex_q's and hex_r's arguments to hex_round_q/_r
        -- (the same operations), taken once per signal: inlined, hex_q and hex_r would compute
        -- them again for every use inside the rounding.
        SELECT sa.x * (2::float8 / 3::float8) / size_m::float8 AS fq,
               (sa.y * (sqrt(3::float8) / 3::float8) - sa.x / 3::float8) / size_m::float8 AS fr,
               sa.record_key
        FROM a
        JOIN signal_area sa ON sa.area_id = a.id
        CROSS JOIN reach sc
        WHERE sa.observed_at >= (from_date::timestamp AT TIME ZONE 'Europe/Amsterdam')
          AND sa.observed_at < (to_date::timestamp AT TIME ZONE 'Europe/Amsterdam')
          AND (categories IS NULL OR sa.category = ANY (categories))
          AND in_reach(ST_SetSRID(ST_MakePoint(sa.x, sa.y), 28992), sc.geom)
        OFFSET 0
    ), counted AS MATERIALIZED (
        SELECT hex_round_q(xy.fq, xy.fr) AS q, hex_round_r(xy.fq, xy.fr) AS r, count(*)::float8 AS n,
               sum(xy.record_key)::bigint AS key_sum
        FROM xy GROUP BY 1, 2
    ), interior AS (
        -- Candidate cells from the bounding box, kept when the centre is inside the area.
        SELECT c.q, c.r
        FROM a
        CROSS JOIN LATERAL generate_series(floor(ST_XMin(a.geom) / (1.5 * size_m))::int - 1, ceil(ST_XMax(a.geom) / (1.5 * size_m))::int + 1) AS c_q(q)
        CROSS JOIN LATERAL generate_series(floor(ST_YMin(a.geom) / (sqrt(3::float8) * size_m) - c_q.q / 2.0)::int - 1,
                                           ceil(ST_YMax(a.geom) / (sqrt(3::float8) * size_m) - c_q.q / 2.0)::int + 1) AS c_r(r)
        CROSS JOIN LATERAL (SELECT c_q.q, c_r.r) c
        WHERE ST_Intersects(a.geom, ST_SetSRID(ST_MakePoint(1.5 * size_m * c.q, sqrt(3::float8) * size_m * (c.r + c.q / 2.0)), 28992))
    ), cell AS (
        SELECT i.q, i.r FROM interior i UNION SELECT ct.q, ct.r FROM counted ct
    ), valued AS (
        SELECT array_agg(c.q ORDER BY c.q, c.r) AS qs, array_agg(c.r ORDER BY c.q, c.r) AS rs,
               array_agg(coalesce(n.n, 0) ORDER BY c.q, c.r) AS xs
        FROM cell c LEFT JOIN counted n ON n.q = c.q AND n.r = c.r
    ), gi AS MATERIALIZED (
        SELECT g.* FROM valued v CROSS JOIN LATERAL gi_star(v.qs, v.rs, v.xs, rings) g
        WHERE v.qs IS NOT NULL
    )
    -- A FULL JOIN, although every counted cell is one of gi_star's cells (a LEFT JOIN would give
    -- the same rows): the planner cannot see how many cells gi_star returns and, guessing one,
    -- looped over the counted cells once per cell (10,000² comparisons); a full join can only
    -- be hashed or merged.
    SELECT g.q, g.r, g.x, g.z, g.p, g.p_adjusted, g.bin, coalesce(ct.key_sum, 0)
    FROM gi g FULL JOIN counted ct ON ct.q = g.q AND ct.r = g.r
$$;

-- The hotspots tile layer: the cells of area_hotspot_cells for the area in the filter ('area'),
-- at the cell size the layer chose for the zoom ('size_m'), for the period the layer resolved
-- as the endpoint does ('period_from' inclusive, 'period_to' exclusive: the tile filter's dates,
-- else the 365 days up to today), the filter's categories and rings 1 (the endpoint's default). Without an area, or for an area that would need more than 'max_cells'
-- cells at this size (the endpoint's limit), the tile is empty. The whole area's Gi* is computed
-- for every tile of it (the statistic depends on every cell); the tile cache keeps the result.
-- Suppressed callers (k): the published count (publish_count), z, p and class as the endpoint gives them.
-- hotspot_cells: those cells in an EPSG:3857 box (a tile, a map cut-out) as polygons, for the
-- vector tile and the raster (tile_hotspots_raster in 1800_tile_rasters.sql), with the key sum
-- of each cell's signals for publish_count (its result type grew that column).
DROP FUNCTION IF EXISTS hotspot_cells(geometry, jsonb, text[]);
CREATE OR REPLACE FUNCTION hotspot_cells(bounds geometry, filter jsonb, scope text[])
RETURNS TABLE (q int, r int, x float8, z float8, p_adjusted float8, bin int, geom_3857 geometry, key_sum bigint)
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $fn$
DECLARE
    -- Variables, not parameters inside the query: area_hotspot_cells has columns of those names.
    bounds_rd geometry := ST_Transform(bounds, 28992);
    size int := (filter ->> 'size_m')::int;
    -- Each cell is this one moved to its centre: the coordinates hex_polygon(size, q, r) gives
    -- (centre + offset, the same float8 operations) without building every polygon point by point.
    cell0 geometry := hex_polygon(size, 0, 0);
BEGIN
    IF filter ->> 'area' IS NULL THEN
        RETURN;
    END IF;
    RETURN QUERY
        SELECT c.q, c.r, c.x, c.z, c.p_adjusted, c.bin, ST_Transform(c.geom, 3857), c.key_sum
        FROM (
            SELECT g.*, ST_Translate(cell0, 1.5::float8 * size::float8 * g.q, sqrt(3::float8) * size::float8 * (g.r + g.q / 2::float8)) AS geom
            FROM area a
            CROSS JOIN LATERAL area_hotspot_cells(a.code, size, (filter ->> 'period_from')::date,
                                                  (filter ->> 'period_to')::date, tile_filter_categories(filter), 1, scope) g
            WHERE a.code = filter ->> 'area' AND a.valid_to IS NULL
              AND ST_Area(ST_Envelope(a.geom)) / (3 * sqrt(3::float8) / 2 * size::float8 ^ 2) <= (filter ->> 'max_cells')::float8
            OFFSET 0 -- each polygon once, not once per use
        ) c
        -- The box in RD holds every cell drawn in it; ST_AsMVTGeom drops the rest.
        WHERE bounds_rd && c.geom;
END
$fn$;

CREATE OR REPLACE FUNCTION tile_hotspots(z int, x int, y int, filter jsonb, scope text[], k int)
RETURNS bytea
LANGUAGE sql STABLE PARALLEL SAFE
AS $fn$
    SELECT coalesce(ST_AsMVT(f, 'hotspots', 4096, 'geom'), ''::bytea)
    FROM (
        SELECT c.q, c.r, (filter ->> 'size_m')::int AS size_m,
               CASE WHEN tile_hotspots.k IS NULL THEN c.x::int ELSE publish_count(c.x::bigint, c.key_sum, tile_hotspots.k)::int END AS n,
               round(c.z::numeric, 4)::float8 AS gi_z, c.p_adjusted, c.bin AS gi_class,
               -- Qualified: the cells have columns x and z of their own.
               ST_AsMVTGeom(c.geom_3857, ST_TileEnvelope(tile_hotspots.z, tile_hotspots.x, tile_hotspots.y), 4096, 16, true) AS geom
        FROM hotspot_cells(ST_TileEnvelope(tile_hotspots.z, tile_hotspots.x, tile_hotspots.y), filter, scope) c
    ) f
    WHERE f.geom IS NOT NULL
$fn$;
