-- Hexbin refresh by key (issue 4). 0400's hex_refresh_signals works from the signals' current
-- rows, so it cannot see where a deleted or changed signal USED to count. hex_refresh_keys
-- recomputes given (size, q, r, category, month) keys; collect the old keys with
-- hex_signal_keys(ids) before a DELETE or UPDATE, then refresh them (plus the new ones) after it:
--   CREATE TEMP TABLE old_keys AS SELECT * FROM hex_signal_keys($ids);
--   DELETE FROM signal WHERE id = ANY ($ids);
--   SELECT hex_refresh_keys(array_agg(size_m), array_agg(q), array_agg(r), array_agg(category), array_agg(month)) FROM old_keys;
-- This costs the signals of the touched categories and months, where hex_refresh_points (whole
-- cells, every month) costs every signal in the touched cells.
--
-- Also from the benchmark (scripts/bench-scoring.sh, 1M signals): with tens of thousands of keys
-- the planner hash-joined them against all of hex_count (a 3.5M-row scan) and checked a foreign
-- key per inserted row. Keys now reach hex_count and signal through LATERAL lookups that cannot
-- be flattened (OFFSET 0), i.e. one primary-key probe each; the category foreign key goes (a
-- hex_count category always comes from a signal, which has that key already).

ALTER TABLE hex_count DROP CONSTRAINT hex_count_category_fkey;
ANALYZE hex_size;

-- (size, cell, category, month) keys of the given signals: one primary-key lookup per id.
CREATE OR REPLACE FUNCTION hex_signal_keys(ids bigint[])
RETURNS TABLE (size_m int, q int, r int, category text, month date)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT DISTINCT z.size_m, hex_q(z.size_m, s.x, s.y), hex_r(z.size_m, s.x, s.y), s.category, s.month
    FROM unnest(ids) AS i(id)
    CROSS JOIN LATERAL (
        SELECT ST_X(sg.geom) AS x, ST_Y(sg.geom) AS y, sg.category, signal_month(sg.observed_at) AS month
        FROM signal sg WHERE sg.id = i.id OFFSET 0) s
    CROSS JOIN hex_size z
$$;

-- hex_cell follows hex_count for the touched cells (one index probe per cell).
CREATE OR REPLACE FUNCTION hex_sync_cells(sizes int[], qs int[], rs int[])
RETURNS void
LANGUAGE sql
AS $$
    DELETE FROM hex_cell c
    WHERE c.ctid = ANY (ARRAY(
        SELECT cell.ctid
        FROM (SELECT DISTINCT size_m, q, r FROM unnest(sizes, qs, rs) AS t(size_m, q, r)) t
        CROSS JOIN LATERAL (SELECT hc.ctid FROM hex_cell hc
                            WHERE hc.size_m = t.size_m AND hc.q = t.q AND hc.r = t.r OFFSET 0) cell
        WHERE NOT EXISTS (SELECT 1 FROM hex_count h WHERE h.size_m = t.size_m AND h.q = t.q AND h.r = t.r)));
    INSERT INTO hex_cell (size_m, q, r, geom, geom_3857)
    SELECT t.size_m, t.q, t.r, hex_polygon(t.size_m, t.q, t.r), ST_Transform(hex_polygon(t.size_m, t.q, t.r), 3857)
    FROM (SELECT DISTINCT size_m, q, r FROM unnest(sizes, qs, rs) AS t(size_m, q, r)) t
    WHERE EXISTS (SELECT 1 FROM hex_count h WHERE h.size_m = t.size_m AND h.q = t.q AND h.r = t.r)
      AND NOT EXISTS (SELECT 1 FROM hex_cell hc WHERE hc.size_m = t.size_m AND hc.q = t.q AND hc.r = t.r)
    ON CONFLICT (size_m, q, r) DO NOTHING;
$$;


CREATE FUNCTION hex_refresh_keys(k_size int[], k_q int[], k_r int[], k_cat text[], k_month date[])
RETURNS int
LANGUAGE plpgsql
AS $$
BEGIN
    IF k_size IS NULL OR cardinality(k_size) = 0 THEN
        RETURN 0;
    END IF;

    DELETE FROM hex_count h
    WHERE h.ctid = ANY (ARRAY(
        SELECT hit.ctid
        FROM unnest(k_size, k_q, k_r, k_cat, k_month) AS k(size_m, q, r, category, month)
        CROSS JOIN LATERAL (SELECT hc.ctid FROM hex_count hc
                            WHERE hc.size_m = k.size_m AND hc.q = k.q AND hc.r = k.r
                              AND hc.category = k.category AND hc.month = k.month OFFSET 0) hit));

    -- As in 0400's hex_refresh_signals: one index range scan per touched category-month, every
    -- candidate binned once per size, kept where its key was touched.
    WITH cm AS MATERIALIZED (
        SELECT DISTINCT category, month FROM unnest(k_cat, k_month) AS t(category, month)
    ), candidate AS MATERIALIZED (
        SELECT ST_X(sg.geom) AS x, ST_Y(sg.geom) AS y, sg.category, cm.month, sg.reliability::float8 AS reliability
        FROM cm
        CROSS JOIN LATERAL (
            SELECT s.geom, s.category, s.reliability FROM signal s
            WHERE s.category = cm.category
              AND s.observed_at >= (cm.month::timestamp AT TIME ZONE 'Europe/Amsterdam')
              AND s.observed_at < ((cm.month + interval '1 month')::timestamp AT TIME ZONE 'Europe/Amsterdam')
            OFFSET 0) sg
    ), binned AS MATERIALIZED (
        SELECT z.size_m, hex_q(z.size_m, c.x, c.y) AS q, hex_r(z.size_m, c.x, c.y) AS r,
               c.category, c.month, c.reliability
        FROM candidate c CROSS JOIN hex_size z
    )
    INSERT INTO hex_count (size_m, q, r, category, month, n, weight)
    SELECT b.size_m, b.q, b.r, b.category, b.month, count(*)::int, sum(b.reliability)
    FROM binned b
    WHERE (b.size_m, b.q, b.r, b.category, b.month) IN (SELECT * FROM unnest(k_size, k_q, k_r, k_cat, k_month))
    GROUP BY b.size_m, b.q, b.r, b.category, b.month;

    PERFORM hex_sync_cells(k_size, k_q, k_r);
    RETURN cardinality(k_size);
END
$$;

-- Deletes signals and keeps the hexbins current in one call (for ingest corrections and tests).
CREATE FUNCTION hex_delete_signals(ids bigint[])
RETURNS int
LANGUAGE plpgsql
AS $$
DECLARE
    k_size int[]; k_q int[]; k_r int[]; k_cat text[]; k_month date[]; deleted int;
BEGIN
    SELECT array_agg(k.size_m), array_agg(k.q), array_agg(k.r), array_agg(k.category), array_agg(k.month)
    INTO k_size, k_q, k_r, k_cat, k_month
    FROM hex_signal_keys(ids) k;
    DELETE FROM signal WHERE id = ANY (ids);
    GET DIAGNOSTICS deleted = ROW_COUNT;
    PERFORM hex_refresh_keys(k_size, k_q, k_r, k_cat, k_month);
    RETURN deleted;
END
$$;

-- Same contract as in 0400 (recompute the keys of these signals' current rows), now through hex_refresh_keys.
CREATE OR REPLACE FUNCTION hex_refresh_signals(ids bigint[])
RETURNS int
LANGUAGE plpgsql
AS $$
DECLARE
    k_size int[]; k_q int[]; k_r int[]; k_cat text[]; k_month date[];
BEGIN
    SELECT array_agg(k.size_m), array_agg(k.q), array_agg(k.r), array_agg(k.category), array_agg(k.month)
    INTO k_size, k_q, k_r, k_cat, k_month
    FROM hex_signal_keys(ids) k;
    RETURN hex_refresh_keys(k_size, k_q, k_r, k_cat, k_month);
END
$$;
