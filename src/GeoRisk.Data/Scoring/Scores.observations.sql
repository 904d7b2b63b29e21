-- What the relative-risk model needs of the areas valid on the reference date, per area, period
-- and category: the signal count, the partners that sent them (a bigint with bit i − 1 for the
-- i-th partner of $6, so the distinct sources of an area are the set bits of an OR) and
-- Σ weight · reliability · 2^(−age / half-life) (age in days from the end of the signal's own
-- period). The model is C# (GeoRisk.Core.Scoring.RelativeRiskModel); RelativeRiskModel.Observe
-- is the same count in C#. The areas themselves come from Scores.exposure.sql.
-- $1 profile, $2 version, $3 reference date, $4 window days, $5 categories (NULL = every
-- category the profile weighs; categories with weight 0 never count), $6 every partner code.
-- key_sum: the sum of the counted signals' record keys (publish_count, docs/access.md).
-- Period 0 = the window, 1 = the window before it; calendar days in Amsterdam (date arithmetic),
-- so the session's TimeZone cannot move a boundary. The bounds are expressions of the
-- parameters, not columns of a CTE, so the planner sees how many signals they admit; nothing
-- here (no CTE scan, window function or sub-plan) keeps the plan from running in parallel.
-- What runs per pair is kept to the pair's own columns: the profile's numbers are read once (the
-- OFFSET 0 keeps the planner from inlining the weights, which made it read the profile's jsonb
-- for every pair), partners are bits of a bigint (varbit operations allocate per row),
-- and the areas' validity is checked on the ~5× fewer groups, not on every pair.
WITH weight AS (
    SELECT w.key AS category, w.value::text::float8 AS weight, (sp.params ->> 'half_life_days')::float8 AS half_life
    FROM scoring_profile sp CROSS JOIN jsonb_each(sp.params -> 'category_weights') w
    WHERE sp.name = $1 AND sp.version = $2
      AND w.value::text::float8 > 0 AND ($5::text[] IS NULL OR w.key = ANY ($5::text[]))
    OFFSET 0
), partner_bit AS (
    -- The store refuses more than 64 partners.
    SELECT p.code, 1::bigint << (p.i::int - 1) AS bit
    FROM unnest($6::text[]) WITH ORDINALITY AS p(code, i)
), pair AS (
    -- signal_area holds the ST_Intersects pairs with the signal's time, category, source and
    -- reliability, kept current at ingest (sql/functions/1110_signal_area.sql): the pairs are all
    -- this reads, no signal row.
    SELECT sa.area_id, sa.category, sa.source, sa.reliability, sa.observed_at, sa.record_key,
           sa.observed_at >= (($3::date + 1 - $4::int)::timestamp AT TIME ZONE 'Europe/Amsterdam') AS current
    FROM signal_area sa
    WHERE sa.observed_at >= (($3::date + 1 - 2 * $4::int)::timestamp AT TIME ZONE 'Europe/Amsterdam')
      AND sa.observed_at < (($3::date + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam')
), grouped AS (
    SELECT x.area_id, x.current, x.category,
           count(*)::int AS n,
           bit_or(pb.bit) AS partners,
           -- Summed in fixed point (units of 10⁻¹⁵, each term rounded once; bigint sums add up in
           -- 128-bit integers), so the total is exact and does not depend on the order the plan
           -- delivers the rows in: a re-run after ANALYZE changed the plan must store the same doubles
           -- (verification compares them exactly). A float8 → numeric cast per row would cost a third
           -- of the query.
           sum(round(1e15 * w.weight * x.reliability * power(2::float8, -(date_part('epoch',
                   CASE WHEN x.current THEN ($3::date + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam'
                        ELSE ($3::date + 1 - $4::int)::timestamp AT TIME ZONE 'Europe/Amsterdam' END
                   - x.observed_at) / 86400) / w.half_life))::bigint) AS fixed,
           sum(x.record_key)::bigint AS key_sum
    FROM pair x
    JOIN weight w ON w.category = x.category
    JOIN partner_bit pb ON pb.code = x.source
    GROUP BY x.area_id, x.current, x.category
)
SELECT g.area_id, CASE WHEN g.current THEN 0 ELSE 1 END AS period, g.category, g.n,
       g.partners, (g.fixed / 1e15)::float8 AS weighted, g.key_sum
FROM grouped g
JOIN area a ON a.id = g.area_id AND a.valid_from <= $3::date AND (a.valid_to IS NULL OR a.valid_to > $3::date);
