-- Hexbin tiles: the cells of one hexagon size inside a tile with their counts under a
-- filter, the rate per km² and an approximate Getis-Ord Gi* over the cell and its six
-- neighbours. Reads the pre-aggregated grids (hex_cell, hex_count, hex_total), so a tile costs
-- an index lookup, not a binning of signals (on-the-fly hexagons measured 338 ms vs 2 ms).

-- hex_total holds the totals per cell over every category and month (what an unfiltered tile
-- shows), kept equal to "SELECT size_m, q, r, sum(n), sum(weight), sum(key_sum) FROM hex_count GROUP BY 1, 2, 3"
-- by the triggers below.
CREATE OR REPLACE FUNCTION hex_total_refresh(sizes int[], qs int[], rs int[])
RETURNS void
LANGUAGE sql
AS $$
    DELETE FROM hex_total t
    USING (SELECT DISTINCT * FROM unnest(sizes, qs, rs) AS k(size_m, q, r)) k
    WHERE t.size_m = k.size_m AND t.q = k.q AND t.r = k.r;
    INSERT INTO hex_total (size_m, q, r, n, weight, key_sum)
    SELECT h.size_m, h.q, h.r, sum(h.n)::int, sum(h.weight), sum(h.key_sum)
    FROM hex_count h
    JOIN (SELECT DISTINCT * FROM unnest(sizes, qs, rs) AS k(size_m, q, r)) k
      ON h.size_m = k.size_m AND h.q = k.q AND h.r = k.r
    GROUP BY h.size_m, h.q, h.r;
$$;

CREATE OR REPLACE FUNCTION hex_total_rebuild()
RETURNS void
LANGUAGE sql
AS $$
    DELETE FROM hex_total;
    INSERT INTO hex_total (size_m, q, r, n, weight, key_sum)
    SELECT size_m, q, r, sum(n)::int, sum(weight), sum(key_sum) FROM hex_count GROUP BY size_m, q, r;
$$;

-- The triggers add and subtract what a statement changed instead of recomputing the touched
-- cells: a delta costs the changed rows only (recomputing took 4.5 s of a 6.2 s refresh of
-- 10,000 new signals at 1M signals). A statement that changes a large part of hex_count (a
-- rebuild) still recomputes everything: then that is cheaper than the delta. n stays exact
-- (integers); weight is a sum of floats and may differ from a recomputation in the last bits.
-- Insert, update and delete have their own functions because each sees different transition
-- tables (new_rows, old_rows or both).

-- True when a statement changing `changed` rows touches more than a quarter of hex_count.
CREATE OR REPLACE FUNCTION hex_total_bulk(changed bigint) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT changed > 100000
       AND changed > (SELECT greatest(reltuples, 0) FROM pg_class WHERE oid = 'hex_count'::regclass) / 4
$$;

-- Deletes the totals of the given cells that reached 0. One index probe per cell: joined, the
-- planner cannot estimate a transition table's cells and scanned all of hex_total instead.
CREATE OR REPLACE FUNCTION hex_total_drop_empty(sizes int[], qs int[], rs int[])
RETURNS void
LANGUAGE sql
AS $$
    DELETE FROM hex_total t
    WHERE t.ctid = ANY (ARRAY(
        SELECT x.ctid
        FROM (SELECT DISTINCT size_m, q, r FROM unnest(sizes, qs, rs) AS c(size_m, q, r)) c
        CROSS JOIN LATERAL (SELECT h.ctid FROM hex_total h
                            WHERE h.size_m = c.size_m AND h.q = c.q AND h.r = c.r AND h.n <= 0 OFFSET 0) x));
$$;

CREATE OR REPLACE FUNCTION hex_total_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF hex_total_bulk((SELECT count(*) FROM new_rows)) THEN
        PERFORM hex_total_rebuild();
        RETURN NULL;
    END IF;
    -- Nearly every cell of new keys has its total already: one UPDATE joined with all of
    -- hex_total, then an INSERT of the rest (an upsert of every cell cost about three times the
    -- buffer accesses: a speculative index probe each). ON CONFLICT still covers a cell that a
    -- concurrent statement added after the UPDATE looked.
    WITH d AS MATERIALIZED (
        SELECT size_m, q, r, sum(n)::int AS n, sum(weight) AS weight, sum(key_sum) AS key_sum
        FROM new_rows GROUP BY size_m, q, r
    ), up AS (
        UPDATE hex_total t SET n = t.n + d.n, weight = t.weight + d.weight, key_sum = t.key_sum + d.key_sum
        FROM d WHERE t.size_m = d.size_m AND t.q = d.q AND t.r = d.r
        RETURNING t.size_m, t.q, t.r
    )
    INSERT INTO hex_total AS t (size_m, q, r, n, weight, key_sum)
    SELECT d.size_m, d.q, d.r, d.n, d.weight, d.key_sum FROM d
    WHERE NOT EXISTS (SELECT 1 FROM up WHERE up.size_m = d.size_m AND up.q = d.q AND up.r = d.r)
    ON CONFLICT (size_m, q, r) DO UPDATE SET n = t.n + excluded.n, weight = t.weight + excluded.weight,
                                             key_sum = t.key_sum + excluded.key_sum;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION hex_total_after_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF hex_total_bulk((SELECT count(*) FROM old_rows)) THEN
        PERFORM hex_total_rebuild();
        RETURN NULL;
    END IF;
    -- Two statements: one statement may not update and then delete the same row.
    UPDATE hex_total t SET n = t.n - d.n, weight = t.weight - d.weight, key_sum = t.key_sum - d.key_sum
    FROM (SELECT size_m, q, r, sum(n)::int AS n, sum(weight) AS weight, sum(key_sum) AS key_sum
          FROM old_rows GROUP BY size_m, q, r) d
    WHERE t.size_m = d.size_m AND t.q = d.q AND t.r = d.r;
    PERFORM hex_total_drop_empty(ARRAY(SELECT size_m FROM old_rows), ARRAY(SELECT q FROM old_rows),
                                 ARRAY(SELECT r FROM old_rows));
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION hex_total_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF hex_total_bulk((SELECT count(*) FROM new_rows)) THEN
        PERFORM hex_total_rebuild();
        RETURN NULL;
    END IF;
    -- New minus old per cell (an update may in principle move a row to another cell).
    INSERT INTO hex_total AS t (size_m, q, r, n, weight, key_sum)
    SELECT size_m, q, r, sum(n)::int, sum(weight), sum(key_sum)
    FROM (SELECT size_m, q, r, n, weight, key_sum FROM new_rows
          UNION ALL SELECT size_m, q, r, -n, -weight, -key_sum FROM old_rows) x
    GROUP BY size_m, q, r
    ON CONFLICT (size_m, q, r) DO UPDATE SET n = t.n + excluded.n, weight = t.weight + excluded.weight,
                                             key_sum = t.key_sum + excluded.key_sum;
    -- Only a cell whose count went down can have emptied.
    PERFORM hex_total_drop_empty(array_agg(d.size_m), array_agg(d.q), array_agg(d.r))
    FROM (SELECT size_m, q, r, sum(n) AS n
          FROM (SELECT size_m, q, r, n FROM new_rows UNION ALL SELECT size_m, q, r, -n FROM old_rows) x
          GROUP BY size_m, q, r) d
    WHERE d.n < 0;
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER hex_count_total_update AFTER UPDATE ON hex_count
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION hex_total_after_update();

-- TRUNCATE fires no row or transition-table triggers: empty the totals with it.
CREATE OR REPLACE FUNCTION hex_total_after_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM hex_total;
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER hex_count_total_truncate AFTER TRUNCATE ON hex_count
    FOR EACH STATEMENT EXECUTE FUNCTION hex_total_after_truncate();

CREATE OR REPLACE TRIGGER hex_count_total_insert AFTER INSERT ON hex_count
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION hex_total_after_insert();
CREATE OR REPLACE TRIGGER hex_count_total_delete AFTER DELETE ON hex_count
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION hex_total_after_delete();

-- Gi* with binary weights over the 7 cells (itself + 6 neighbours):
--   z = (Σ x_j − x̄·7) / (s · sqrt((7·N − 49) / (N − 1)))
-- where x̄, s and N (mean, standard deviation and number of non-empty cells of this size under
-- the same filter) are passed in: computed once per filter by the caller and shared by every
-- tile, so that neighbouring tiles classify a cell alike. Empty cells count as 0 among the
-- neighbours but not in x̄/s/N (an approximation: the study area is the cells with signals).
-- Class: ±3 for |z| ≥ 2.58 (99%), ±2 for ≥ 1.96 (95%), ±1 for ≥ 1.65 (90%), else 0.
--
-- hexbin_cells takes any envelope in EPSG:3857 (a raster tile with its buffer, a map cut-out);
-- hexbin_tile_cells is the same for the envelope of tile z/x/y.
-- Try: SELECT * FROM hexbin_tile_cells(12, 2103, 1346, 1000, NULL, NULL, NULL, NULL, NULL, 5, 8, 900);
-- key_sum: the sum of the record keys of the cell's signals under the filter (for publish_count).
-- The result types grew that column: CREATE OR REPLACE cannot change a result type.
DROP FUNCTION IF EXISTS hexbin_tile_cells(int, int, int, int, text[], date, date, text[], int, float8, float8, bigint);
DROP FUNCTION IF EXISTS hexbin_cells(geometry, int, text[], date, date, text[], int, float8, float8, bigint);
CREATE OR REPLACE FUNCTION hexbin_cells(
    envelope geometry, size_m int,
    categories text[], from_month date, to_month date, scope text[], min_count int,
    mean float8, sd float8, n_cells bigint)
RETURNS TABLE (q int, r int, n int, weight float8, rate_km2 float8, gi_z float8, gi_class int, geom_3857 geometry, key_sum bigint)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    WITH bounds AS (
        SELECT envelope AS env
    ), scope_area AS MATERIALIZED (
        SELECT scope_reach(scope) AS geom
    ), tile_cells AS (
        -- The cells drawn in this tile, in the caller's reach.
        SELECT c.q, c.r, c.geom_3857
        FROM hex_cell c, bounds b, scope_area s
        WHERE c.size_m = hexbin_cells.size_m
          AND c.geom_3857 && b.env
          -- Only cells wholly inside the reach: a cell straddling its border would count
          -- signals outside it: nothing of another casustafel's area shows.
          AND (scope IS NULL OR ST_CoveredBy(c.geom, s.geom))
    ), reachable AS (
        -- Neighbour cells count towards Gi* only when they too lie inside the reach.
        SELECT c.q, c.r
        FROM hex_cell c, scope_area s
        WHERE scope IS NOT NULL
          AND c.size_m = hexbin_cells.size_m
          AND c.q BETWEEN (SELECT min(t.q) - 1 FROM tile_cells t) AND (SELECT max(t.q) + 1 FROM tile_cells t)
          AND c.r BETWEEN (SELECT min(t.r) - 1 FROM tile_cells t) AND (SELECT max(t.r) + 1 FROM tile_cells t)
          AND ST_CoveredBy(c.geom, s.geom)
    ), counts_all AS (
        -- Counts of the tile's cells and of their neighbours (one ring around: q, r ± 1):
        -- the pre-summed totals without a filter, else summed from the (category, month) rows.
        SELECT h.q, h.r, h.n, h.weight, h.key_sum
        FROM hex_total h
        WHERE categories IS NULL AND from_month IS NULL AND to_month IS NULL
          AND h.size_m = hexbin_cells.size_m
          AND h.q BETWEEN (SELECT min(t.q) - 1 FROM tile_cells t) AND (SELECT max(t.q) + 1 FROM tile_cells t)
          AND h.r BETWEEN (SELECT min(t.r) - 1 FROM tile_cells t) AND (SELECT max(t.r) + 1 FROM tile_cells t)
        UNION ALL
        -- hex_count's key leads with the month: one index range of cells per month in the filter.
        SELECT h.q, h.r, sum(h.n)::int AS n, sum(h.weight) AS weight, sum(h.key_sum)::bigint AS key_sum
        FROM hex_count_months(from_month, to_month) m
        CROSS JOIN LATERAL (
            SELECT h.q, h.r, h.n, h.weight, h.key_sum
            FROM hex_count h
            WHERE h.month = m.month
              AND h.size_m = hexbin_cells.size_m
              AND h.q BETWEEN (SELECT min(t.q) - 1 FROM tile_cells t) AND (SELECT max(t.q) + 1 FROM tile_cells t)
              AND h.r BETWEEN (SELECT min(t.r) - 1 FROM tile_cells t) AND (SELECT max(t.r) + 1 FROM tile_cells t)
              AND (categories IS NULL OR h.category = ANY (categories))
            OFFSET 0) h
        WHERE NOT (categories IS NULL AND from_month IS NULL AND to_month IS NULL)
        GROUP BY h.q, h.r
    ), counts AS (
        SELECT a.* FROM counts_all a
        WHERE scope IS NULL OR EXISTS (SELECT 1 FROM reachable rc WHERE rc.q = a.q AND rc.r = a.r)
    ), gi AS MATERIALIZED (
        SELECT t.q, t.r, t.geom_3857, c.n, c.weight, c.key_sum,
               (SELECT sum(nb.n) FROM counts nb
                WHERE nb.q BETWEEN t.q - 1 AND t.q + 1 AND nb.r BETWEEN t.r - 1 AND t.r + 1
                  AND (nb.q - t.q) + (nb.r - t.r) BETWEEN -1 AND 1) AS local_sum
        FROM tile_cells t
        JOIN counts c ON c.q = t.q AND c.r = t.r
        WHERE min_count IS NULL OR c.n >= min_count
    )
    SELECT g.q, g.r, g.n, g.weight,
           g.n / (3 * sqrt(3::float8) / 2 * (hexbin_cells.size_m::float8 / 1000) ^ 2) AS rate_km2,
           gz.z AS gi_z,
           CASE WHEN gz.z IS NULL THEN 0
                WHEN abs(gz.z) >= 2.58 THEN 3 * sign(gz.z)::int
                WHEN abs(gz.z) >= 1.96 THEN 2 * sign(gz.z)::int
                WHEN abs(gz.z) >= 1.65 THEN sign(gz.z)::int
                ELSE 0 END AS gi_class,
           g.geom_3857, g.key_sum
    FROM gi g
    CROSS JOIN LATERAL (
        SELECT CASE WHEN sd > 0 AND n_cells > 7
                    THEN round(((g.local_sum - mean * 7) / (sd * sqrt((7 * n_cells - 49)::float8 / (n_cells - 1))))::numeric, 2)::float8
               END AS z
    ) gz
$$;

CREATE OR REPLACE FUNCTION hexbin_tile_cells(
    z int, x int, y int, size_m int,
    categories text[], from_month date, to_month date, scope text[], min_count int,
    mean float8, sd float8, n_cells bigint)
RETURNS TABLE (q int, r int, n int, weight float8, rate_km2 float8, gi_z float8, gi_class int, geom_3857 geometry, key_sum bigint)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT * FROM hexbin_cells(ST_TileEnvelope(z, x, y), size_m, categories, from_month, to_month, scope, min_count, mean, sd, n_cells)
$$;

-- Mean, standard deviation and number of the non-empty cells of one size under a filter: the
-- reference distribution of hexbin_tile_cells' Gi*.
CREATE OR REPLACE FUNCTION hexbin_stats(size_m int, categories text[], from_month date, to_month date,
                             OUT mean float8, OUT sd float8, OUT n_cells bigint)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT avg(t.n), coalesce(stddev_samp(t.n), 0), count(*)
    FROM (SELECT h.n FROM hex_total h
          WHERE categories IS NULL AND from_month IS NULL AND to_month IS NULL AND h.size_m = hexbin_stats.size_m
          UNION ALL
          SELECT sum(h.n) AS n
          FROM hex_count h
          WHERE NOT (categories IS NULL AND from_month IS NULL AND to_month IS NULL)
            AND h.size_m = hexbin_stats.size_m
            AND (categories IS NULL OR h.category = ANY (categories))
            -- Bounds the index can use (hex_count_month_idx: size, month), NULL meaning unbounded.
            AND h.month >= coalesce(from_month, '-infinity'::date)
            AND h.month <= coalesce(to_month, 'infinity'::date)
          GROUP BY h.q, h.r) t
$$;
