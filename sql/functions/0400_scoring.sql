-- Risk scoring and Getis-Ord Gi* in SQL. The model is documented in docs/scoring.md
-- and mirrored by GeoRisk.Core.Scoring.RiskModel / GeoRisk.Core.Hotspots.GetisOrd (pure C#
-- reference implementations the integration tests compare against).

-- Raw values are ranked and stored at 12 significant digits, so ties do not depend on the
-- order in which a parallel plan happened to add things up (reproducible scores).
CREATE OR REPLACE FUNCTION round_sig12(x float8)
RETURNS float8
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT CASE WHEN x = 0 OR x = 'NaN'::float8 OR x IN ('Infinity'::float8, '-Infinity'::float8) THEN x
                ELSE round(x::numeric, 11 - floor(log(abs(x)::numeric))::int)::float8 END
$$;

-- P(Z >= a) for a >= 0 of the standard normal distribution (W. J. Cody's rational approximation
-- as given by G. West, 2005; about 1e-15). The same arithmetic as
-- GeoRisk.Core.Hotspots.Normal.UpperTail.
-- Single expressions, not STRICT and without FROM, so the planner inlines both into the calling
-- query: called as SQL functions they cost ~20 µs each, which was half of a 10,000-cell Gi*.
CREATE OR REPLACE FUNCTION normal_upper_tail_abs(a float8)
RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE
            WHEN a > 37 THEN 0::float8
            WHEN a < 7.07106781186547::float8 THEN
                exp(-a * a / 2)
                * ((((((3.52624965998911E-02::float8 * a + 0.700383064443688::float8) * a + 6.37396220353165::float8) * a
                   + 33.912866078383::float8) * a + 112.079291497871::float8) * a + 221.213596169931::float8) * a + 220.206867912376::float8)
                / (((((((8.83883476483184E-02::float8 * a + 1.75566716318264::float8) * a + 16.064177579207::float8) * a
                   + 86.7807322029461::float8) * a + 296.564248779674::float8) * a + 637.333633378831::float8) * a
                   + 793.826512519948::float8) * a + 440.413735824752::float8)
            ELSE exp(-a * a / 2) / (a + 1 / (a + 2 / (a + 3 / (a + 4 / (a + 0.65::float8))))) / 2.506628274631::float8
           END
$$;

-- P(Z >= x) for any x (NULL for NULL).
CREATE OR REPLACE FUNCTION normal_upper_tail(x float8)
RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN x >= 0 THEN normal_upper_tail_abs(abs(x)) ELSE 1 - normal_upper_tail_abs(abs(x)) END
$$;

-- Getis-Ord Gi* over a set of hexagon cells (the study region, zero cells included) with binary
-- weights: the cell itself and every cell of the set within `rings` steps. z, two-sided p from
-- the normal distribution, Benjamini-Hochberg adjusted p over all cells, and the bin
-- (±3 = 99 %, ±2 = 95 %, ±1 = 90 % confidence after FDR, 0 = not significant).
CREATE OR REPLACE FUNCTION gi_star(qs int[], rs int[], xs float8[], rings int)
RETURNS TABLE (q int, r int, x float8, z float8, p float8, p_adjusted float8, bin int)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    -- MATERIALIZED steps: the planner cannot estimate unnest(); unmaterialized it recomputed the
    -- statistics once per cell and joined the offsets in the wrong order (measured: 30 s → < 1 s).
    WITH cell AS MATERIALIZED (
        SELECT c.q, c.r, c.x FROM unnest(qs, rs, xs) AS c(q, r, x)
    ), stats AS MATERIALIZED (
        SELECT count(*)::float8 AS n, sum(c.x) / count(*) AS mean,
               sqrt(greatest(0, sum(c.x * c.x) / count(*) - (sum(c.x) / count(*)) ^ 2)) AS s
        FROM cell c
    ), ring AS MATERIALIZED (
        -- Axial offsets within `rings` steps: |dq| <= k, |dr| <= k, |dq + dr| <= k.
        SELECT dq, dr FROM generate_series(-rings, rings) dq, generate_series(-rings, rings) dr
        WHERE abs(dq + dr) <= rings
    ), pair AS MATERIALIZED (
        SELECT c.q, c.r, c.x, c.q + o.dq AS nq, c.r + o.dr AS nr FROM cell c CROSS JOIN ring o
    ), local AS (
        SELECT pr.q, pr.r, pr.x, sum(nb.x) AS wx, count(*)::float8 AS w
        FROM pair pr
        JOIN cell nb ON nb.q = pr.nq AND nb.r = pr.nr
        GROUP BY pr.q, pr.r, pr.x
    ), scored AS MATERIALIZED (
        -- Materialized so that z is a column below: normal_upper_tail is inlined only for a
        -- cheap argument, and for this CASE it would be called as a function, once per use.
        SELECT l.q, l.r, l.x,
               CASE WHEN st.n < 2 OR st.s * sqrt((st.n * l.w - l.w * l.w) / (st.n - 1)) <= 0 THEN 0::float8
                    ELSE (l.wx - st.mean * l.w) / (st.s * sqrt((st.n * l.w - l.w * l.w) / (st.n - 1))) END AS z
        FROM local l CROSS JOIN stats st
    ), ranked AS (
        SELECT s.*, 2 * normal_upper_tail(abs(s.z)) AS p,
               row_number() OVER (ORDER BY 2 * normal_upper_tail(abs(s.z)), s.q, s.r) AS k,
               count(*) OVER () AS m
        FROM scored s
    ), adjusted AS (
        -- BH: q_(k) = min over j >= k of m·p_(j)/j, capped at 1.
        SELECT rk.*, least(1::float8, min(rk.m * rk.p / rk.k) OVER (ORDER BY rk.k DESC ROWS UNBOUNDED PRECEDING)) AS p_adjusted
        FROM ranked rk
    )
    SELECT a.q, a.r, a.x, a.z, a.p, a.p_adjusted,
           (sign(a.z) * CASE WHEN a.p_adjusted <= 0.01 THEN 3 WHEN a.p_adjusted <= 0.05 THEN 2
                             WHEN a.p_adjusted <= 0.10 THEN 1 ELSE 0 END)::int
    FROM adjusted a
$$;

-- Scores of every area valid on the reference date (or of one kind) under a profile, computed
-- set-based and NOT stored: score_run stores it, verification compares it with what is stored.
--   window      [ref − window_days, ref) with ref = the end of the reference date (Amsterdam)
--   previous    the window before it, for the trend
--   intensity   Σ weight_c · reliability · 2^(−age / half_life) per area, period, category
--   denominator km², or exposure / 1000 (normalisation 'exposure', or 'auto' when every area of the kind has one)
--   shrinkage   Empirical Bayes (Marshall 1991): C = A / (A + m / D), A = max(0, s² − m / D̄);
--               component_c = corroboration · (C · e_c + (1 − C) · m_c), m_c = kind mean of category c
--   score       100 · (areas of the kind with a lower raw) / (n − 1), ties equal
CREATE OR REPLACE FUNCTION score_compute(profile_name text, profile_version int, reference_date date, only_kind text)
RETURNS TABLE (area_id bigint, score float8, raw float8, signal_count int, source_count int, components jsonb, flags jsonb)
LANGUAGE sql STABLE
-- No SET clause here (e.g. work_mem): it stops the planner from inlining the function into the
-- caller's query with the arguments as constants, and the generic plan took 190 s instead of 8.
AS $$
    WITH profile AS (
        SELECT (sp.params ->> 'half_life_days')::float8 AS half_life,
               (sp.params ->> 'window_days')::float8 AS window_days,
               coalesce((sp.params ->> 'corroboration_factor')::float8, 0) AS corroboration_factor,
               coalesce(sp.params ->> 'normalisation', 'auto') AS normalisation,
               coalesce((sp.params ->> 'shrinkage')::boolean, false) AS shrinkage,
               (sp.params -> 'thresholds' ->> 'min_signals')::float8 AS min_signals,
               (sp.params -> 'thresholds' ->> 'min_sources')::float8 AS min_sources,
               (sp.params -> 'thresholds' ->> 'min_score')::float8 AS min_score,
               ((reference_date + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam') AS ref_instant,
               -- Calendar days in Amsterdam (date arithmetic): the session's TimeZone cannot move a boundary.
               ((reference_date + 1 - (sp.params ->> 'window_days')::int)::timestamp AT TIME ZONE 'Europe/Amsterdam') AS window_start,
               ((reference_date + 1 - 2 * (sp.params ->> 'window_days')::int)::timestamp AT TIME ZONE 'Europe/Amsterdam') AS previous_start,
               sp.params
        FROM scoring_profile sp
        WHERE sp.name = profile_name AND sp.version = profile_version
    ), weight AS (
        SELECT w.key AS category, w.value::text::float8 AS weight
        FROM profile p CROSS JOIN jsonb_each(p.params -> 'category_weights') w
    ), area_valid AS (
        SELECT a.id, a.kind, a.geom, a.area_km2, a.exposure, a.exposure_unit,
               bool_and(a.exposure IS NOT NULL) OVER (PARTITION BY a.kind) AS kind_has_exposure
        FROM area a
        WHERE a.valid_from <= reference_date AND (a.valid_to IS NULL OR a.valid_to > reference_date)
          AND (only_kind IS NULL OR a.kind = only_kind)
    ), area_d AS (
        SELECT av.id, av.kind,
               CASE WHEN av.exposure IS NOT NULL AND (p.normalisation = 'exposure' OR (p.normalisation = 'auto' AND av.kind_has_exposure))
                    THEN av.exposure / 1000 ELSE av.area_km2 END AS denominator,
               CASE WHEN av.exposure IS NOT NULL AND (p.normalisation = 'exposure' OR (p.normalisation = 'auto' AND av.kind_has_exposure))
                    THEN 'per 1000 ' || av.exposure_unit ELSE 'per km2' END AS unit
        FROM area_valid av CROSS JOIN profile p
    ), hit AS (
        -- Period 0 = the window, 1 = the window before it; age counts from each period's end.
        SELECT av.id, pr.period, s.category, s.source, count(*) AS n,
               sum(s.reliability * power(2::float8,
                   -(date_part('epoch', p.ref_instant - s.observed_at) / 86400 - pr.period * p.window_days) / p.half_life)) AS intensity
        FROM profile p
        JOIN signal s ON s.observed_at >= p.previous_start AND s.observed_at < p.ref_instant
        JOIN area_valid av ON ST_Intersects(av.geom, s.geom)
        CROSS JOIN LATERAL (SELECT CASE WHEN s.observed_at >= p.window_start THEN 0 ELSE 1 END AS period) pr
        GROUP BY av.id, pr.period, s.category, s.source
    ), area_count AS (
        SELECT h.id, h.period, sum(h.n)::int AS n, count(DISTINCT h.source)::int AS sources
        FROM hit h GROUP BY h.id, h.period
    ), area_category AS (
        SELECT h.id, h.period, h.category, w.weight * sum(h.intensity) AS wi
        FROM hit h JOIN weight w ON w.category = h.category
        GROUP BY h.id, h.period, h.category, w.weight
    ), grid AS (
        -- Every area × period × weighted category, zeros included: kind means count empty areas too.
        SELECT d.id, d.kind, d.denominator, pe.period, w.category, coalesce(ac.wi, 0) AS wi
        FROM area_d d
        CROSS JOIN (VALUES (0), (1)) pe(period)
        CROSS JOIN weight w
        LEFT JOIN area_category ac ON ac.id = d.id AND ac.period = pe.period AND ac.category = w.category
    ), kind_category AS (
        SELECT g.kind, g.period, g.category, sum(g.wi) / sum(g.denominator) AS mean_c
        FROM grid g GROUP BY g.kind, g.period, g.category
    ), area_rate AS (
        SELECT g.id, g.kind, g.period, g.denominator, sum(g.wi) / g.denominator AS rate
        FROM grid g GROUP BY g.id, g.kind, g.period, g.denominator
    ), kind_stat AS (
        SELECT ar.kind, ar.period, sum(ar.rate * ar.denominator) / sum(ar.denominator) AS m,
               sum(ar.denominator) AS total_d, count(*) AS n
        FROM area_rate ar GROUP BY ar.kind, ar.period
    ), kind_prior AS (
        SELECT ks.kind, ks.period, ks.m,
               greatest(0, sum(ar.denominator * (ar.rate - ks.m) ^ 2) / ks.total_d - ks.m / (ks.total_d / ks.n)) AS between_var
        FROM kind_stat ks JOIN area_rate ar ON ar.kind = ks.kind AND ar.period = ks.period
        GROUP BY ks.kind, ks.period, ks.m, ks.total_d, ks.n
    ), area_factor AS (
        SELECT ar.id, ar.period,
               CASE WHEN NOT p.shrinkage OR kp.m <= 0 THEN 1::float8
                    ELSE kp.between_var / (kp.between_var + kp.m / ar.denominator) END AS c,
               1 + p.corroboration_factor * greatest(0, coalesce(cnt.sources, 0) - 1) AS corroboration,
               coalesce(cnt.n, 0) AS n, coalesce(cnt.sources, 0) AS sources
        FROM area_rate ar
        CROSS JOIN profile p
        JOIN kind_prior kp ON kp.kind = ar.kind AND kp.period = ar.period
        LEFT JOIN area_count cnt ON cnt.id = ar.id AND cnt.period = ar.period
    ), component AS (
        SELECT g.id, g.kind, g.denominator, g.period, g.category, f.c, f.corroboration, f.n, f.sources,
               f.corroboration * (f.c * g.wi / g.denominator + (1 - f.c) * kc.mean_c) AS value
        FROM grid g
        JOIN area_factor f ON f.id = g.id AND f.period = g.period
        JOIN kind_category kc ON kc.kind = g.kind AND kc.period = g.period AND kc.category = g.category
    ), area_raw AS (
        -- One row per area: both periods side by side (an aggregate, not self-joins of CTEs,
        -- whose row counts the planner cannot estimate: it chose nested loops over 5,000 × 5,000).
        SELECT c.id, c.kind, c.denominator,
               round_sig12(sum(c.value) FILTER (WHERE c.period = 0)) AS raw,
               round_sig12(sum(c.value) FILTER (WHERE c.period = 1)) AS previous_raw,
               jsonb_object_agg(c.category, c.value ORDER BY c.category) FILTER (WHERE c.period = 0) AS components,
               max(c.c) FILTER (WHERE c.period = 0) AS c,
               max(c.corroboration) FILTER (WHERE c.period = 0) AS corroboration,
               max(c.n) FILTER (WHERE c.period = 0) AS n,
               max(c.sources) FILTER (WHERE c.period = 0) AS sources,
               max(c.n) FILTER (WHERE c.period = 1) AS previous_n
        FROM component c GROUP BY c.id, c.kind, c.denominator
    ), ranked AS (
        SELECT r.*,
               CASE WHEN count(*) OVER kind_all = 1 THEN CASE WHEN r.raw > 0 THEN 100 ELSE 0 END
                    ELSE 100 * (rank() OVER kind_ordered - 1)::float8 / (count(*) OVER kind_all - 1) END AS score
        FROM area_raw r
        WINDOW kind_all AS (PARTITION BY r.kind), kind_ordered AS (PARTITION BY r.kind ORDER BY r.raw)
    )
    SELECT r.id, r.score, r.raw, r.n, r.sources, r.components,
           jsonb_build_object(
               'kandidaat', r.score >= p.min_score AND r.n >= p.min_signals AND r.sources >= p.min_sources,
               'reasons', jsonb_build_array(
                   jsonb_build_object('threshold', 'min_score', 'required', p.min_score, 'actual', r.score, 'passed', r.score >= p.min_score),
                   jsonb_build_object('threshold', 'min_signals', 'required', p.min_signals, 'actual', r.n, 'passed', r.n >= p.min_signals),
                   jsonb_build_object('threshold', 'min_sources', 'required', p.min_sources, 'actual', r.sources, 'passed', r.sources >= p.min_sources)),
               'corroboration', r.corroboration,
               'shrinkage_weight', r.c,
               'denominator', r.denominator,
               'denominator_unit', u.unit,
               'window', jsonb_build_object('from', p.window_start, 'to', p.ref_instant),
               'trend', jsonb_build_object(
                   'previous_raw', r.previous_raw,
                   'previous_signal_count', r.previous_n,
                   'change', r.raw - r.previous_raw,
                   'change_pct', CASE WHEN r.previous_raw > 0 THEN round((100 * (r.raw - r.previous_raw) / r.previous_raw)::numeric, 1) END,
                   'direction', CASE WHEN r.raw > 1.1 * r.previous_raw THEN 'up' WHEN r.raw < 0.9 * r.previous_raw THEN 'down' ELSE 'flat' END))
    FROM ranked r
    CROSS JOIN profile p
    JOIN area_d u ON u.id = r.id
$$;

-- Computes and stores (replacing an earlier run of the same profile, version and date).
-- Returns the number of areas scored.
CREATE OR REPLACE FUNCTION score_run(profile_name text, profile_version int, reference_date date, only_kind text)
RETURNS int
LANGUAGE plpgsql
AS $$
DECLARE
    stored int;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM scoring_profile sp WHERE sp.name = profile_name AND sp.version = profile_version) THEN
        RAISE EXCEPTION 'unknown scoring profile %/%', profile_name, profile_version USING ERRCODE = 'P0002';
    END IF;
    -- score_compute is the version-1 percentile model. A relative-risk profile (riec-standaard v2,
    -- the default) is scored by GeoRisk.Core.Scoring.RelativeRiskModel: its posterior interval needs
    -- Gamma quantiles that the C# model computes. Running such a profile here would store percentile
    -- scores under its name; it is refused, naming the entry points that score it.
    IF EXISTS (SELECT 1 FROM scoring_profile sp WHERE sp.name = profile_name AND sp.version = profile_version
                 AND sp.params ->> 'model' = 'relative-risk') THEN
        RAISE EXCEPTION 'scoring profile %/% uses the relative-risk model, which score_run does not compute', profile_name, profile_version
            USING ERRCODE = '0A000',
                  HINT = format('Run it with "georisk score run --profile %s --version %s --date %s" or POST /api/scores/run; score_run computes version-1 (percentile) profiles.',
                                profile_name, profile_version, reference_date);
    END IF;
    DELETE FROM score s
    USING area a
    WHERE s.area_id = a.id AND s.profile_name = score_run.profile_name AND s.profile_version = score_run.profile_version
      AND s.reference_date = score_run.reference_date AND (only_kind IS NULL OR a.kind = only_kind);
    INSERT INTO score (area_id, profile_name, profile_version, reference_date, score, raw, signal_count, source_count, components, flags)
    SELECT c.area_id, score_run.profile_name, score_run.profile_version, score_run.reference_date,
           c.score, c.raw, c.signal_count, c.source_count, c.components, c.flags
    FROM score_compute(score_run.profile_name, score_run.profile_version, score_run.reference_date, only_kind) c;
    GET DIAGNOSTICS stored = ROW_COUNT;
    -- The key sums of what each stored count counts (the same signals as score_compute's hit),
    -- kept beside the counts for publish_count (docs/access.md, "Suppression").
    UPDATE score sc
    SET key_sum = k.key_sum, source_key_sum = k.source_key_sum, previous_key_sum = k.previous_key_sum
    FROM (
        SELECT av.id,
               coalesce(sum(s.record_key) FILTER (WHERE s.observed_at >= p.window_start), 0) AS key_sum,
               source_key_sum(array_agg(DISTINCT s.source) FILTER (WHERE s.observed_at >= p.window_start)) AS source_key_sum,
               coalesce(sum(s.record_key) FILTER (WHERE s.observed_at < p.window_start), 0) AS previous_key_sum
        FROM (SELECT ((score_run.reference_date + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam') AS ref_instant,
                     ((score_run.reference_date + 1 - (sp.params ->> 'window_days')::int)::timestamp AT TIME ZONE 'Europe/Amsterdam') AS window_start,
                     ((score_run.reference_date + 1 - 2 * (sp.params ->> 'window_days')::int)::timestamp AT TIME ZONE 'Europe/Amsterdam') AS previous_start
              FROM scoring_profile sp WHERE sp.name = score_run.profile_name AND sp.version = score_run.profile_version) p
        JOIN signal s ON s.observed_at >= p.previous_start AND s.observed_at < p.ref_instant
        JOIN area av ON ST_Intersects(av.geom, s.geom)
        WHERE av.valid_from <= score_run.reference_date AND (av.valid_to IS NULL OR av.valid_to > score_run.reference_date)
          AND (only_kind IS NULL OR av.kind = only_kind)
        GROUP BY av.id
    ) k
    WHERE sc.area_id = k.id AND sc.profile_name = score_run.profile_name AND sc.profile_version = score_run.profile_version
      AND sc.reference_date = score_run.reference_date;
    UPDATE data_version SET version = version + 1, changed_at = now() WHERE name = 'score';
    RETURN stored;
END
$$;

-- Whether a stored score is a kandidaat-handhavingsknelpunt: the column of a relative-risk score
-- stored in its compact form (migration 2300), else the flag in the row's flags document (version-1
-- scores and relative-risk scores stored before), false when neither says so. Inlined (a single
-- SELECT, IMMUTABLE, not STRICT).
CREATE OR REPLACE FUNCTION score_kandidaat(kandidaat boolean, flags jsonb)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT coalesce(kandidaat, (flags ->> 'kandidaat')::boolean, false)
$$;

-- The newest stored score of an area, of a profile (NULL: any) computed for a reference date on
-- or before a date (NULL: the latest). One row or none; inlined by the planner (a single
-- SELECT, not STRICT), so it costs one probe of score's primary key per area.
CREATE OR REPLACE FUNCTION latest_score(area_id bigint, profile_name text, on_or_before date)
RETURNS SETOF score
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT s.* FROM score s
    WHERE s.area_id = latest_score.area_id
      AND (latest_score.profile_name IS NULL OR s.profile_name = latest_score.profile_name)
      AND (on_or_before IS NULL OR s.reference_date <= on_or_before)
    ORDER BY s.reference_date DESC, s.profile_version DESC, s.computed_at DESC
    LIMIT 1
$$;
