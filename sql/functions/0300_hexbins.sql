-- Hexagon grids over RD New with signal counts per cell, category and month.
--
-- Grid: flat-topped hexagons (a vertex points east and west, like ST_HexagonGrid), origin at
-- RD (0, 0), in axial coordinates (q, r). The cell SIZE is the CIRCUMRADIUS, which equals the
-- edge length (as in ST_HexagonGrid's `size`): a 250 m cell is 500 m from vertex to vertex,
-- 433 m between opposite edges and 0.162 km² in area.
--   centre(q, r) = (1.5 · size · q,  √3 · size · (r + q / 2))
-- The same arithmetic lives in GeoRisk.Core.Hexagons.HexGrid (C#); both must stay identical
-- (floating point included: the same operations in the same order), unit tests pin it.
--
-- hex_cell holds the cells that contain at least one signal (polygons for the tiles), hex_count
-- the counts (n, weight, and key_sum: the sum of the record keys, for publish_count). Both are kept current on ingest by hex_refresh_signals(ids) (the cells, categories
-- and months the given signals fall in), hex_refresh_keys (given keys: collect a signal's OLD
-- keys with hex_signal_keys before a delete or an update, refresh them after it) or
-- hex_refresh_points(points) (whole cells around given points). hex_rebuild() recomputes
-- everything; a refresh must leave the tables exactly as a rebuild would.
-- Month of an observation in Dutch local time (a signal at 23:30 UTC on 31 January counts in February).
CREATE OR REPLACE FUNCTION signal_month(observed_at timestamptz)
RETURNS date
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT date_trunc('month', observed_at AT TIME ZONE 'Europe/Amsterdam')::date $$;

-- Cube rounding of fractional axial coordinates (fq, fr): the component with the largest
-- rounding error is recomputed from the other two so that q + r + s = 0 holds.
-- round(float8) rounds half to even, like C#'s Math.Round. Not STRICT on purpose: a STRICT SQL
-- function whose body has a CASE is never inlined (and NULL propagates through round anyway).
CREATE OR REPLACE FUNCTION hex_round_q(fq float8, fr float8)
RETURNS int
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN abs(round(fq) - fq) > abs(round(fr) - fr)
                 AND abs(round(fq) - fq) > abs(round(-fq - fr) - (-fq - fr))
                THEN (-round(fr) - round(-fq - fr))::int
                ELSE round(fq)::int END
$$;

CREATE OR REPLACE FUNCTION hex_round_r(fq float8, fr float8)
RETURNS int
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN abs(round(fq) - fq) > abs(round(fr) - fr)
                 AND abs(round(fq) - fq) > abs(round(-fq - fr) - (-fq - fr))
                THEN round(fr)::int
                WHEN abs(round(fr) - fr) > abs(round(-fq - fr) - (-fq - fr))
                THEN (-round(fq) - round(-fq - fr))::int
                ELSE round(fr)::int END
$$;

-- Axial q and r of the cell containing RD point (x, y). Single-expression, non-STRICT SQL
-- functions, so the planner inlines them: a full rebuild evaluates them millions of times.
CREATE OR REPLACE FUNCTION hex_q(size_m int, x float8, y float8)
RETURNS int
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT hex_round_q(x * (2::float8 / 3::float8) / size_m::float8,
                       (y * (sqrt(3::float8) / 3::float8) - x / 3::float8) / size_m::float8)
$$;

CREATE OR REPLACE FUNCTION hex_r(size_m int, x float8, y float8)
RETURNS int
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT hex_round_r(x * (2::float8 / 3::float8) / size_m::float8,
                       (y * (sqrt(3::float8) / 3::float8) - x / 3::float8) / size_m::float8)
$$;

-- Both coordinates at once, for use in psql and ad-hoc queries: SELECT * FROM hex_qr(250, 121000, 487000).
CREATE OR REPLACE FUNCTION hex_qr(size_m int, x float8, y float8, OUT q int, OUT r int)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT hex_q(size_m, x, y), hex_r(size_m, x, y) $$;

-- The cell polygon (RD New), counter-clockwise from the east vertex.
CREATE OR REPLACE FUNCTION hex_polygon(size_m int, q int, r int)
RETURNS geometry
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT ST_SetSRID(ST_MakePolygon(ST_MakeLine(ARRAY[
        ST_MakePoint(c.x + c.s,       c.y),
        ST_MakePoint(c.x + c.s / 2,   c.y + c.h),
        ST_MakePoint(c.x - c.s / 2,   c.y + c.h),
        ST_MakePoint(c.x - c.s,       c.y),
        ST_MakePoint(c.x - c.s / 2,   c.y - c.h),
        ST_MakePoint(c.x + c.s / 2,   c.y - c.h),
        ST_MakePoint(c.x + c.s,       c.y)])), 28992)
    FROM (SELECT size_m::float8 AS s,
                 size_m::float8 * sqrt(3::float8) / 2 AS h,
                 1.5::float8 * size_m::float8 * q AS x,
                 sqrt(3::float8) * size_m::float8 * (r + q / 2::float8) AS y) c
$$;

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

-- The months hex_count holds between from_month and to_month (NULL: unbounded), one index
-- descent each (a skip scan: PostgreSQL 15 has none). hex_count's key leads with the month, so a
-- reader of a cell range over many months takes one index range per month from here.
CREATE OR REPLACE FUNCTION hex_count_months(from_month date, to_month date)
RETURNS TABLE (month date)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    WITH RECURSIVE m AS (
        SELECT (SELECT min(h.month) FROM hex_count h WHERE h.month >= coalesce(from_month, '-infinity'::date)) AS month
        UNION ALL
        SELECT (SELECT min(h.month) FROM hex_count h WHERE h.month > m.month)
        FROM m
        WHERE m.month < coalesce(to_month, 'infinity'::date)
    )
    SELECT m.month FROM m WHERE m.month <= coalesce(to_month, 'infinity'::date)
$$;

-- hex_cell follows hex_count for the given cells. A cell has counts exactly when it has a
-- hex_total row (the triggers keep hex_total equal to hex_count's sums at the end of every
-- statement): probing the small hex_total instead of hex_count (over 500 MB at 1M signals, more
-- than the buffer cache) keeps this off the disk. Two halves, so that a refresh asks each cell
-- only what can have changed: a cell can vanish only where a key vanished (hex_cells_drop) and
-- appear only where a key appeared (hex_cells_add).
CREATE OR REPLACE FUNCTION hex_cells_drop(sizes int[], qs int[], rs int[])
RETURNS void
LANGUAGE sql
AS $$
    DELETE FROM hex_cell c
    WHERE c.ctid = ANY (ARRAY(
        SELECT cell.ctid
        FROM (SELECT DISTINCT size_m, q, r FROM unnest(sizes, qs, rs) AS t(size_m, q, r)) t
        CROSS JOIN LATERAL (SELECT hc.ctid FROM hex_cell hc
                            WHERE hc.size_m = t.size_m AND hc.q = t.q AND hc.r = t.r OFFSET 0) cell
        WHERE NOT EXISTS (SELECT 1 FROM hex_total h WHERE h.size_m = t.size_m AND h.q = t.q AND h.r = t.r)));
$$;

-- Almost every cell a refresh adds a key to has its row already: hex_cell (small, index-only) is
-- asked first, hex_total only for the few without one.
CREATE OR REPLACE FUNCTION hex_cells_add(sizes int[], qs int[], rs int[])
RETURNS void
LANGUAGE sql
AS $$
    WITH missing AS MATERIALIZED (
        SELECT t.size_m, t.q, t.r
        FROM (SELECT DISTINCT size_m, q, r FROM unnest(sizes, qs, rs) AS t(size_m, q, r)) t
        WHERE NOT EXISTS (SELECT 1 FROM hex_cell hc WHERE hc.size_m = t.size_m AND hc.q = t.q AND hc.r = t.r)
    )
    INSERT INTO hex_cell (size_m, q, r, geom, geom_3857)
    SELECT t.size_m, t.q, t.r, hex_polygon(t.size_m, t.q, t.r), ST_Transform(hex_polygon(t.size_m, t.q, t.r), 3857)
    FROM missing t
    WHERE EXISTS (SELECT 1 FROM hex_total h WHERE h.size_m = t.size_m AND h.q = t.q AND h.r = t.r)
    ON CONFLICT (size_m, q, r) DO NOTHING;
$$;

CREATE OR REPLACE FUNCTION hex_sync_cells(sizes int[], qs int[], rs int[])
RETURNS void
LANGUAGE sql
AS $$
    SELECT hex_cells_drop(sizes, qs, rs);
    SELECT hex_cells_add(sizes, qs, rs);
$$;


-- Recomputes the given (size, q, r, category, month) keys from the signals and writes only the
-- difference: keys whose counts changed are updated, new keys inserted, keys without signals
-- deleted, unchanged keys left alone. Deleting and re-inserting every key (as before) made the
-- hex_total and tile-change triggers handle each key twice and probed hex_count once more per
-- key. The keys are probed in index order, once, and the rows found are changed through their
-- ctid. The index leads with the month (sql/2200_hex_count_month_first.sql): the keys of new
-- signals, a month or two, share a small part of it.
CREATE OR REPLACE FUNCTION hex_refresh_keys(k_size int[], k_q int[], k_r int[], k_cat text[], k_month date[])
RETURNS int
LANGUAGE plpgsql
AS $$
DECLARE
    d_ctid tid[]; d_size int[]; d_q int[]; d_r int[];
    u_ctid tid[]; u_n int[]; u_weight float8[]; u_key_sum bigint[];
    i_size int[]; i_q int[]; i_r int[]; i_cat text[]; i_month date[]; i_n int[]; i_weight float8[]; i_key_sum bigint[];
BEGIN
    IF k_size IS NULL OR cardinality(k_size) = 0 THEN
        RETURN 0;
    END IF;
    -- The rows found below are changed through their ctid by later statements: no other
    -- refresh may change them in between (readers are not blocked; this mode conflicts with itself).
    LOCK TABLE hex_count IN SHARE ROW EXCLUSIVE MODE;

    -- One index range scan per touched category-month, every candidate binned once per size,
    -- kept where its key was touched. MATERIALIZED steps: the planner cannot estimate unnest()
    -- and otherwise joins the keys before binning, evaluating the hex arithmetic millions of times.
    WITH k AS MATERIALIZED (
        SELECT DISTINCT size_m, q, r, category, month
        FROM unnest(k_size, k_q, k_r, k_cat, k_month) AS t(size_m, q, r, category, month)
    ), cm AS MATERIALIZED (
        SELECT DISTINCT category, month FROM k
    ), candidate AS MATERIALIZED (
        SELECT ST_X(sg.geom) AS x, ST_Y(sg.geom) AS y, sg.category, cm.month, sg.reliability::float8 AS reliability,
               sg.record_key
        FROM cm
        CROSS JOIN LATERAL (
            SELECT s.geom, s.category, s.reliability, s.record_key FROM signal s
            WHERE s.category = cm.category
              AND s.observed_at >= (cm.month::timestamp AT TIME ZONE 'Europe/Amsterdam')
              AND s.observed_at < ((cm.month + interval '1 month')::timestamp AT TIME ZONE 'Europe/Amsterdam')
            OFFSET 0) sg
    ), binned AS MATERIALIZED (
        SELECT z.size_m, hex_q(z.size_m, c.x, c.y) AS q, hex_r(z.size_m, c.x, c.y) AS r,
               c.category, c.month, c.reliability, c.record_key
        FROM candidate c CROSS JOIN hex_size z
    ), fresh AS MATERIALIZED (
        SELECT b.size_m, b.q, b.r, b.category, b.month, count(*)::int AS n, sum(b.reliability) AS weight,
               sum(b.record_key) AS key_sum
        FROM binned b
        WHERE (b.size_m, b.q, b.r, b.category, b.month) IN (SELECT * FROM k)
        GROUP BY b.size_m, b.q, b.r, b.category, b.month
    ), stored AS MATERIALIZED (
        SELECT k.size_m, k.q, k.r, k.category, k.month, hit.ctid, hit.n, hit.weight, hit.key_sum
        FROM (SELECT * FROM k ORDER BY month, size_m, q, r, category) k
        CROSS JOIN LATERAL (SELECT hc.ctid, hc.n, hc.weight, hc.key_sum FROM hex_count hc
                            WHERE hc.size_m = k.size_m AND hc.q = k.q AND hc.r = k.r
                              AND hc.category = k.category AND hc.month = k.month OFFSET 0) hit
    ), diff AS MATERIALIZED (
        SELECT s.ctid, coalesce(f.size_m, s.size_m) AS size_m, coalesce(f.q, s.q) AS q, coalesce(f.r, s.r) AS r,
               coalesce(f.category, s.category) AS category, coalesce(f.month, s.month) AS month,
               f.n, f.weight, f.key_sum,
               CASE WHEN f.n IS NULL THEN 'd'
                    WHEN s.ctid IS NULL THEN 'i'
                    WHEN (s.n, s.weight, s.key_sum) IS DISTINCT FROM (f.n, f.weight, f.key_sum) THEN 'u' END AS op
        FROM stored s
        FULL JOIN fresh f ON f.size_m = s.size_m AND f.q = s.q AND f.r = s.r
                         AND f.category = s.category AND f.month = s.month
    )
    SELECT array_agg(ctid) FILTER (WHERE op = 'd'), array_agg(size_m) FILTER (WHERE op = 'd'),
           array_agg(q) FILTER (WHERE op = 'd'), array_agg(r) FILTER (WHERE op = 'd'),
           array_agg(ctid) FILTER (WHERE op = 'u'), array_agg(n) FILTER (WHERE op = 'u'),
           array_agg(weight) FILTER (WHERE op = 'u'), array_agg(key_sum) FILTER (WHERE op = 'u'),
           array_agg(size_m) FILTER (WHERE op = 'i'), array_agg(q) FILTER (WHERE op = 'i'),
           array_agg(r) FILTER (WHERE op = 'i'), array_agg(category) FILTER (WHERE op = 'i'),
           array_agg(month) FILTER (WHERE op = 'i'), array_agg(n) FILTER (WHERE op = 'i'),
           array_agg(weight) FILTER (WHERE op = 'i'), array_agg(key_sum) FILTER (WHERE op = 'i')
    INTO d_ctid, d_size, d_q, d_r, u_ctid, u_n, u_weight, u_key_sum,
         i_size, i_q, i_r, i_cat, i_month, i_n, i_weight, i_key_sum
    FROM diff;

    IF d_ctid IS NOT NULL THEN
        DELETE FROM hex_count WHERE ctid = ANY (d_ctid);
    END IF;
    IF u_ctid IS NOT NULL THEN
        UPDATE hex_count h SET n = u.n, weight = u.weight, key_sum = u.key_sum
        FROM unnest(u_ctid, u_n, u_weight, u_key_sum) AS u(ctid, n, weight, key_sum)
        WHERE h.ctid = ANY (u_ctid) AND h.ctid = u.ctid;
    END IF;
    IF i_size IS NOT NULL THEN
        INSERT INTO hex_count (size_m, q, r, category, month, n, weight, key_sum)
        SELECT * FROM unnest(i_size, i_q, i_r, i_cat, i_month, i_n, i_weight, i_key_sum)
        ORDER BY 5, 1, 2, 3, 4;
    END IF;

    -- Only a key that vanished can remove a cell, only one that appeared can add one.
    IF d_size IS NOT NULL THEN
        PERFORM hex_cells_drop(d_size, d_q, d_r);
    END IF;
    IF i_size IS NOT NULL THEN
        PERFORM hex_cells_add(i_size, i_q, i_r);
    END IF;
    RETURN cardinality(k_size);
END
$$;

-- Refresh after new or changed signals: recomputes exactly the (cell, category, month) keys the
-- given signals' current rows fall in. Cost follows the signals of the touched categories and
-- months (new signals are recent: a month or two), not the table. Returns the number of keys.
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

-- Deletes signals and keeps the hexbins current in one call (for ingest corrections and tests).
CREATE OR REPLACE FUNCTION hex_delete_signals(ids bigint[])
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

-- Refresh of whole cells (every category and month) around the given points (RD New, or any
-- SRID: transformed). Use after a delete or a move, with the old locations. Returns the number
-- of cells refreshed.
CREATE OR REPLACE FUNCTION hex_refresh_points(points geometry[])
RETURNS int
LANGUAGE plpgsql
AS $$
DECLARE
    c_size int[]; c_q int[]; c_r int[];
BEGIN
    SELECT array_agg(c.size_m), array_agg(c.q), array_agg(c.r)
    INTO c_size, c_q, c_r
    FROM (SELECT DISTINCT z.size_m, hex_q(z.size_m, ST_X(p.g), ST_Y(p.g)) AS q, hex_r(z.size_m, ST_X(p.g), ST_Y(p.g)) AS r
          FROM (SELECT CASE WHEN ST_SRID(pt) = 28992 THEN pt ELSE ST_Transform(pt, 28992) END AS g
                FROM unnest(points) AS pt WHERE pt IS NOT NULL AND NOT ST_IsEmpty(pt)) p
          CROSS JOIN hex_size z) c;
    IF c_size IS NULL THEN
        RETURN 0;
    END IF;

    -- The rows found are deleted through their ctid: no other refresh may move them in between.
    LOCK TABLE hex_count IN SHARE ROW EXCLUSIVE MODE;
    -- The key leads with the month: one index range per stored month and cell.
    DELETE FROM hex_count h
    WHERE h.ctid = ANY (ARRAY(
        SELECT x.ctid
        FROM hex_count_months(NULL, NULL) m
        CROSS JOIN unnest(c_size, c_q, c_r) AS c(size_m, q, r)
        CROSS JOIN LATERAL (SELECT hc.ctid FROM hex_count hc
                            WHERE hc.month = m.month AND hc.size_m = c.size_m AND hc.q = c.q AND hc.r = c.r
                            OFFSET 0) x));

    -- The cell's bounding box finds the candidate signals (GIST); the exact test is the same
    -- arithmetic as everywhere else, so a point on an edge lands in exactly one cell.
    INSERT INTO hex_count (size_m, q, r, category, month, n, weight, key_sum)
    SELECT c.size_m, c.q, c.r, s.category, signal_month(s.observed_at), count(*)::int, sum(s.reliability::float8),
           sum(s.record_key)
    FROM unnest(c_size, c_q, c_r) AS c(size_m, q, r)
    JOIN signal s ON s.geom && hex_polygon(c.size_m, c.q, c.r)
    WHERE hex_q(c.size_m, ST_X(s.geom), ST_Y(s.geom)) = c.q
      AND hex_r(c.size_m, ST_X(s.geom), ST_Y(s.geom)) = c.r
    GROUP BY c.size_m, c.q, c.r, s.category, signal_month(s.observed_at);

    PERFORM hex_sync_cells(c_size, c_q, c_r);
    RETURN cardinality(c_size);
END
$$;

-- Full rebuild from the signal table.
CREATE OR REPLACE FUNCTION hex_rebuild()
RETURNS void
LANGUAGE plpgsql
SET work_mem = '256MB'
AS $$
BEGIN
    DELETE FROM hex_count;
    DELETE FROM hex_cell;
    -- OFFSET 0 keeps x and y computed once per signal: inlined into hex_q/hex_r, ST_X(geom)
    -- would be evaluated (geometry decoded) dozens of times per row, 5x slower.
    INSERT INTO hex_count (size_m, q, r, category, month, n, weight, key_sum)
    SELECT z.size_m, hex_q(z.size_m, s.x, s.y), hex_r(z.size_m, s.x, s.y),
           s.category, s.month, count(*)::int, sum(s.reliability), sum(s.record_key)
    FROM (SELECT ST_X(geom) AS x, ST_Y(geom) AS y, category, signal_month(observed_at) AS month,
                 reliability::float8 AS reliability, record_key
          FROM signal OFFSET 0) s
    CROSS JOIN hex_size z
    GROUP BY 1, 2, 3, 4, 5
    -- In key order (month first): the index is filled from left to right and each month's rows
    -- lie together in the table, where a refresh of recent signals reads them.
    ORDER BY 5, 1, 2, 3, 4;
    INSERT INTO hex_cell (size_m, q, r, geom, geom_3857)
    SELECT c.size_m, c.q, c.r, c.geom, ST_Transform(c.geom, 3857)
    FROM (SELECT size_m, q, r, hex_polygon(size_m, q, r) AS geom
          FROM (SELECT DISTINCT size_m, q, r FROM hex_count) d) c;
END
$$;
