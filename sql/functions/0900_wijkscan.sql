-- Wijkscan computation (tables in the numbered migration 1200_wijkscan). docs/wijkscan.md
-- explains the model; GeoRisk.Core.Scans holds the C# side. A change here changes what
-- 'scan verify' recomputes: give such a change a new scan.model value.

-- Byar's approximation of the exact Poisson interval of a count (Breslow & Day 1987): the same
-- arithmetic as GeoRisk.Core.Scans.RateStatistics.ByarInterval.
CREATE OR REPLACE FUNCTION poisson_byar(n bigint, z float8, OUT lower float8, OUT upper float8)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT CASE WHEN n = 0 THEN 0::float8
                ELSE greatest(0, n * (1 - 1 / (9::float8 * n) - z / (3 * sqrt(n::float8))) ^ 3) END,
           (n + 1) * (1 - 1 / (9::float8 * (n + 1)) + z / (3 * sqrt((n + 1)::float8))) ^ 3
$$;

-- Returns its argument. It is VOLATILE only so that the planner keeps a subquery whose select list
-- calls it as a subquery (it does not pull such a subquery up into the query above, where each
-- use of the column would compute the expression again); being a one-line SQL function it is then
-- inlined, so it costs nothing per row. OFFSET 0 would fence the subquery too but makes the
-- query unsafe for parallel workers; unnest(ARRAY[...]) fences it at ~0.25 µs per row.
CREATE OR REPLACE FUNCTION computed_once(v float8)
RETURNS float8
LANGUAGE sql VOLATILE PARALLEL SAFE
AS $$ SELECT v $$;

-- One group of a scan's pairs, counted in one pass: for the given areas, the signals observed in
-- [window_start, window_end), imported at or before the cut-off, of the given categories, from
-- signal_area (ST_Intersects(area, signal) for every boundary version, kept at ingest by
-- sql/functions/1110_signal_area.sql, with the signal's time, import time, category, source, record
-- key and RD position): an index-only range per area of the (area, time) index, which holds every
-- column read here. Returns one row per area that has pairs (count, counts and key sums per
-- category, distinct partners and their key sum) and, when cell_m is given, one row per hexagon of
-- cell_m metres (id NULL; q, r; cell_n signals) for the Gi* hot spots.
-- GROUPING SETS fill the three tables in one pass over the pairs: cheaper than grouping them by
-- (area, category, source) first (some 100,000 groups for 500 buurten) and those groups again,
-- and than reading the sub-areas' pairs a second time for the binning.
-- The axial rounding is hex_round_q/_r's arithmetic (the same operations, so the same cells) on
-- values taken once per pair: computed_once keeps the planner from pulling the inner selects up,
-- which would recompute fq and fr in each of the twenty places they are used.
-- Inlined into scan_compute (LANGUAGE sql, STABLE, no SET): one call per group of areas.
DROP FUNCTION IF EXISTS scan_pair_groups(bigint[], text[], timestamptz, timestamptz, timestamptz, int);
CREATE FUNCTION scan_pair_groups(ids bigint[], categories text[], window_start timestamptz, window_end timestamptz,
                                 cutoff timestamptz, cell_m int)
RETURNS TABLE (id bigint, n int, counts jsonb, key_sum bigint, category_key_sums jsonb, sources int, source_key_sum bigint,
               q int, r int, cell_n bigint)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT g.id, sum(g.n) FILTER (WHERE g.set = 1)::int,
           jsonb_object_agg(g.category, g.n ORDER BY g.category) FILTER (WHERE g.set = 1),
           sum(g.key_sum) FILTER (WHERE g.set = 1)::bigint,
           jsonb_object_agg(g.category, g.key_sum) FILTER (WHERE g.set = 1),
           count(*) FILTER (WHERE g.set = 2)::int,
           source_key_sum(array_agg(g.source) FILTER (WHERE g.set = 2)),
           g.q, g.r, sum(g.n) FILTER (WHERE g.set = 3)::bigint
    FROM (SELECT b.area_id AS id, b.category, b.source, b.q, b.r, GROUPING(b.category, b.source) AS set,
                 count(*) AS n, sum(b.record_key) AS key_sum
          FROM (SELECT h.area_id, h.category, h.source, h.record_key,
                       CASE WHEN h.dq > h.dr AND h.dq > h.ds THEN (-h.rr - h.rs)::int ELSE h.rq::int END AS q,
                       CASE WHEN h.dq > h.dr AND h.dq > h.ds THEN h.rr::int WHEN h.dr > h.ds THEN (-h.rq - h.rs)::int ELSE h.rr::int END AS r
                FROM (SELECT l.area_id, l.category, l.source, l.record_key,
                             computed_once(round(l.fq)) AS rq, round(l.fr) AS rr, round(-l.fq - l.fr) AS rs,
                             abs(round(l.fq) - l.fq) AS dq, abs(round(l.fr) - l.fr) AS dr, abs(round(-l.fq - l.fr) - (-l.fq - l.fr)) AS ds
                      FROM (SELECT sa.area_id, sa.category, sa.source, sa.record_key,
                                   computed_once(sa.x * (2::float8 / 3::float8) / cell_m::float8) AS fq,
                                   (sa.y * (sqrt(3::float8) / 3::float8) - sa.x / 3::float8) / cell_m::float8 AS fr
                            FROM unnest(ids) i(id)
                            JOIN signal_area sa ON sa.area_id = i.id
                            JOIN unnest(categories) c(category) ON c.category = sa.category
                            WHERE sa.observed_at >= window_start AND sa.observed_at < window_end AND sa.imported_at <= cutoff) l) h) b
          GROUP BY GROUPING SETS ((b.area_id, b.category), (b.area_id, b.source), (b.q, b.r))) g
    GROUP BY g.id, g.q, g.r
$$;

-- The rows of a scan, computed from frozen inputs and NOT stored (scan_run stores them, verify
-- compares). Sub-areas and region are given as area ids (boundary versions).
--   counts      signals observed in [window_start, window_end), imported at or before the
--               cut-off, of the categories the profile weighs (> 0), per sub-area
--   denominator exposure / 1000 when every area of the region has one in one unit, else km²
--   expected    parent (sum over the sub-areas) or region rate × the sub-area's denominator
--   rr          observed / expected with Byar's 90 % interval
--   kandidaat   lower bound of rr against the parent > 1, and the profile's min_signals and
--               min_sources hold
--   hot spots   Gi* (profile hotspot_rings, BH-adjusted) on hexagons of cell_m over the parent;
--               cells with 95 % hot spots whose centre lies in the sub-area
--   key sums    of the counted signals' record keys, per sub-area and category, and of its
--               distinct partners (publish_count, docs/access.md "Suppression"); never served
-- The returned columns are scan_area's, in its order (scan_run inserts them as they come).
-- Determinism: the parent's and the region's rates sum the denominators in area-id order, so the
-- same inputs give the same bits whatever order the groups arrive in.
-- Speed: the pairs are counted in four groups of areas (the sub-areas, with their hot-spot
-- binning, and the other areas of the region, each split in two) that a Parallel Append hands to
-- PostgreSQL's parallel workers; every group is complete per area, so only finished rows (one per
-- area and per hexagon) cross to the leader. That needs a plain query the planner may
-- parallelise: hence plpgsql (RETURN QUERY), the profile's categories and the split taken first
-- into variables (a CTE or an InitPlan below the Gather is not parallel safe), and the SET clauses
-- (the planner's default setup cost keeps a query of this estimated size in one process).

DROP FUNCTION IF EXISTS scan_compute(bigint, bigint[], bigint[], timestamptz, timestamptz, timestamptz, text, int, int);
CREATE FUNCTION scan_compute(parent_id bigint, sub_ids bigint[], region_ids bigint[],
                             window_start timestamptz, window_end timestamptz, cutoff timestamptz,
                             profile_name text, profile_version int, cell_m int)
RETURNS TABLE (area_id bigint, code text, name text, denominator float8, denominator_unit text,
               signal_count int, source_count int, counts jsonb,
               expected_parent float8, rr_parent float8, rr_parent_low float8, rr_parent_high float8,
               expected_region float8, rr_region float8, rr_region_low float8, rr_region_high float8,
               rank int, kandidaat boolean, hotspot_cells int, no_data boolean,
               key_sum bigint, source_key_sum bigint, category_key_sums jsonb)
LANGUAGE plpgsql STABLE
SET parallel_setup_cost = 0
SET parallel_tuple_cost = 0
AS $fn$
#variable_conflict use_column
DECLARE
    categories text[];
    subs_a bigint[];
    subs_b bigint[];
    rest_a bigint[];
    rest_b bigint[];
BEGIN
    SELECT ARRAY(SELECT w.key FROM jsonb_each(sp.params -> 'category_weights') w WHERE w.value::text::float8 > 0)
    INTO categories
    FROM scoring_profile sp WHERE sp.name = profile_name AND sp.version = profile_version;
    -- Alternate areas (by id) go to the two halves, so each gets about as many pairs.
    SELECT array_agg(x.id ORDER BY x.id) FILTER (WHERE x.is_sub AND x.i % 2 = 0),
           array_agg(x.id ORDER BY x.id) FILTER (WHERE x.is_sub AND x.i % 2 = 1),
           array_agg(x.id ORDER BY x.id) FILTER (WHERE NOT x.is_sub AND x.i % 2 = 0),
           array_agg(x.id ORDER BY x.id) FILTER (WHERE NOT x.is_sub AND x.i % 2 = 1)
    INTO subs_a, subs_b, rest_a, rest_b
    FROM (SELECT a.id, a.id = ANY (sub_ids) AS is_sub, row_number() OVER (PARTITION BY a.id = ANY (sub_ids) ORDER BY a.id) AS i
          FROM area a WHERE a.id = ANY (region_ids || sub_ids)) x;
    RETURN QUERY
    WITH profile AS (
        SELECT (sp.params -> 'thresholds' ->> 'min_signals')::float8 AS min_signals,
               (sp.params -> 'thresholds' ->> 'min_sources')::float8 AS min_sources,
               coalesce((sp.params ->> 'hotspot_rings')::int, 1) AS rings
        FROM scoring_profile sp
        WHERE sp.name = profile_name AND sp.version = profile_version
    ), region AS (
        SELECT a.id, a.code, a.name, a.area_km2, a.exposure, a.exposure_unit, a.id = ANY (sub_ids) AS is_sub
        FROM area a WHERE a.id = ANY (region_ids || sub_ids)
    ), unit AS (
        SELECT bool_and(r.exposure IS NOT NULL) AND count(DISTINCT r.exposure_unit) = 1 AS by_exposure,
               min(r.exposure_unit) AS exposure_unit
        FROM region r
    ), part AS MATERIALIZED (
        SELECT * FROM scan_pair_groups(subs_a, categories, window_start, window_end, cutoff, cell_m)
        UNION ALL SELECT * FROM scan_pair_groups(subs_b, categories, window_start, window_end, cutoff, cell_m)
        UNION ALL SELECT * FROM scan_pair_groups(rest_a, categories, window_start, window_end, cutoff, NULL)
        UNION ALL SELECT * FROM scan_pair_groups(rest_b, categories, window_start, window_end, cutoff, NULL)
    ), per_area AS (
        SELECT r.id, r.code, r.name, r.is_sub,
               CASE WHEN u.by_exposure THEN r.exposure / 1000 ELSE r.area_km2 END AS denominator,
               CASE WHEN u.by_exposure THEN 'per 1000 ' || u.exposure_unit ELSE 'per km2' END AS unit,
               coalesce(ba.n, 0) AS n, coalesce(ba.sources, 0) AS sources, coalesce(ba.counts, '{}'::jsonb) AS counts,
               coalesce(ba.key_sum, 0) AS key_sum, coalesce(ba.source_key_sum, 0) AS source_key_sum,
               coalesce(ba.category_key_sums, '{}'::jsonb) AS category_key_sums
        FROM region r CROSS JOIN unit u
        LEFT JOIN part ba ON ba.id = r.id
    ), totals AS (
        SELECT sum(pa.n) FILTER (WHERE pa.is_sub)::float8 / nullif(sum(pa.denominator ORDER BY pa.id) FILTER (WHERE pa.is_sub), 0) AS parent_rate,
               sum(pa.n)::float8 / nullif(sum(pa.denominator ORDER BY pa.id), 0) AS region_rate
        FROM per_area pa
    ), counted AS (
        -- Hot spots: the sub-areas' signals (sub-areas do not overlap; they tile the parent), binned
        -- in their groups; a hexagon on a group's border is summed here.
        SELECT p.q, p.r, sum(p.cell_n)::float8 AS n FROM part p WHERE p.id IS NULL AND p.q IS NOT NULL GROUP BY p.q, p.r
    ), interior AS (
        SELECT c_q.q, c_r.r
        FROM area a
        CROSS JOIN LATERAL generate_series(floor(ST_XMin(a.geom) / (1.5 * cell_m))::int - 1, ceil(ST_XMax(a.geom) / (1.5 * cell_m))::int + 1) AS c_q(q)
        CROSS JOIN LATERAL generate_series(floor(ST_YMin(a.geom) / (sqrt(3::float8) * cell_m) - c_q.q / 2.0)::int - 1,
                                           ceil(ST_YMax(a.geom) / (sqrt(3::float8) * cell_m) - c_q.q / 2.0)::int + 1) AS c_r(r)
        WHERE a.id = parent_id
          AND ST_Intersects(a.geom, ST_SetSRID(ST_MakePoint(1.5 * cell_m * c_q.q, sqrt(3::float8) * cell_m * (c_r.r + c_q.q / 2.0)), 28992))
    ), cell AS (
        SELECT q, r FROM interior UNION SELECT q, r FROM counted
    ), valued AS (
        SELECT array_agg(c.q ORDER BY c.q, c.r) AS qs, array_agg(c.r ORDER BY c.q, c.r) AS rs,
               array_agg(coalesce(n.n, 0) ORDER BY c.q, c.r) AS xs
        FROM cell c LEFT JOIN counted n ON n.q = c.q AND n.r = c.r
    ), hot AS MATERIALIZED (
        SELECT ST_SetSRID(ST_MakePoint(1.5 * cell_m * g.q, sqrt(3::float8) * cell_m * (g.r + g.q / 2.0)), 28992) AS centre
        FROM valued v CROSS JOIN profile p CROSS JOIN LATERAL gi_star(v.qs, v.rs, v.xs, p.rings) g
        WHERE v.qs IS NOT NULL AND g.bin >= 2
    ), scored AS (
        SELECT pa.*,
               t.parent_rate * pa.denominator AS e_parent,
               t.region_rate * pa.denominator AS e_region,
               poisson_byar(pa.n, 1.6448536269514722) AS ci
        FROM per_area pa CROSS JOIN totals t
        WHERE pa.is_sub
    ), rr AS (
        SELECT s.*,
               CASE WHEN s.e_parent > 0 THEN s.n / s.e_parent END AS rrp,
               CASE WHEN s.e_region > 0 THEN s.n / s.e_region END AS rrr
        FROM scored s
    )
    SELECT r.id, r.code, r.name, r.denominator, r.unit, r.n, r.sources, r.counts,
           r.e_parent, r.rrp, (r.ci).lower / nullif(r.e_parent, 0), (r.ci).upper / nullif(r.e_parent, 0),
           r.e_region, r.rrr, (r.ci).lower / nullif(r.e_region, 0), (r.ci).upper / nullif(r.e_region, 0),
           (row_number() OVER (ORDER BY r.rrp DESC NULLS LAST, r.n DESC, r.code))::int,
           coalesce((r.ci).lower / nullif(r.e_parent, 0) > 1 AND r.n >= p.min_signals AND r.sources >= p.min_sources, false),
           (SELECT count(*) FROM hot h JOIN area a ON a.id = r.id AND ST_Intersects(a.geom, h.centre))::int,
           NOT coalesce(r.e_parent > 0, false),
           r.key_sum, r.source_key_sum, r.category_key_sums
    FROM rr r CROSS JOIN profile p;
END
$fn$;

-- Runs a scan and stores it under a new name; returns the scan id. Sub-areas: the areas of
-- `level` valid on window_to whose point-on-surface lies in the parent (so parents need no
-- code links); region: every area of `level` valid on window_to.
CREATE OR REPLACE FUNCTION scan_run(scan_name text, parent text, level text, window_to date, window_days int,
                         cutoff timestamptz, profile_name text, profile_version int, cell_m int, model text)
RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
    parent_id bigint;
    subs bigint[];
    region bigint[];
    new_id bigint;
    window_from date := window_to - window_days + 1;
BEGIN
    SELECT a.id INTO parent_id FROM area a
    WHERE a.code = parent AND a.valid_from <= window_to AND (a.valid_to IS NULL OR a.valid_to > window_to);
    IF parent_id IS NULL THEN
        RAISE EXCEPTION 'no area % valid on %', parent, window_to USING ERRCODE = 'P0002';
    END IF;
    SELECT array_agg(a.id ORDER BY a.code) INTO subs
    FROM area a JOIN area p ON p.id = parent_id
    WHERE a.kind = level AND a.id <> parent_id
      AND a.valid_from <= window_to AND (a.valid_to IS NULL OR a.valid_to > window_to)
      AND ST_Intersects(p.geom, ST_PointOnSurface(a.geom));
    IF subs IS NULL THEN
        RAISE EXCEPTION 'area % has no sub-areas of kind %', parent, level USING ERRCODE = 'P0002';
    END IF;
    SELECT array_agg(a.id ORDER BY a.id) INTO region
    FROM area a
    WHERE a.kind = level AND a.valid_from <= window_to AND (a.valid_to IS NULL OR a.valid_to > window_to);

    INSERT INTO scan (name, parent_code, parent_area_id, level, window_from, window_to, cutoff,
                      profile_name, profile_version, model, region_area_ids, hotspot_cell_m)
    VALUES (scan_name, parent, parent_id, level, window_from, window_to, cutoff,
            profile_name, profile_version, model, region, cell_m)
    RETURNING id INTO new_id;

    INSERT INTO scan_area (scan_id, area_id, code, name, denominator, denominator_unit, signal_count, source_count, counts,
                           expected_parent, rr_parent, rr_parent_low, rr_parent_high,
                           expected_region, rr_region, rr_region_low, rr_region_high,
                           rank, kandidaat, hotspot_cells, no_data, key_sum, source_key_sum, category_key_sums)
    SELECT new_id, c.*
    FROM scan_compute(parent_id, subs, region,
                      (window_from::timestamp AT TIME ZONE 'Europe/Amsterdam'),
                      ((window_to + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam'),
                      cutoff, profile_name, profile_version, cell_m) c;
    RETURN new_id;
END
$$;
