-- Stored relative-risk scores of one run with their rank in the kind: the numbers of each score
-- (GeoRisk.Core.Scoring.StoredRiskScore, read by ScoreStore.ReadStored in this column order) and
-- its area, or for a row stored before those columns existed its RiskScore JSON (flags). $1 profile,
-- $2 version, $3 reference date (NULL = the latest stored), $4 kind (NULL = all), $5 area code
-- (NULL = all), $6 caller scope (NULL = unrestricted; otherwise only areas within the reach,
-- sql/functions/0100_reach.sql).
-- Ranks are taken over every stored area of the kind, whatever the caller may see. The key sums
-- (never served) let the store publish the counts for a suppressed caller.
WITH reach AS MATERIALIZED (
    SELECT scope_reach($6::text[]) AS geom
), run AS (
    SELECT s.reference_date
    FROM score s JOIN area a ON a.id = s.area_id
    WHERE s.profile_name = $1 AND s.profile_version = $2 AND ($3::date IS NULL OR s.reference_date = $3)
      AND ($4::text IS NULL OR a.kind = $4) AND ($5::text IS NULL OR a.code = $5)
    ORDER BY s.reference_date DESC
    LIMIT 1
), ranked AS (
    SELECT a.code, a.name, a.kind, a.geom, s.*,
           rank() OVER (PARTITION BY a.kind ORDER BY s.score DESC)::int AS rank_in_kind,
           count(*) OVER (PARTITION BY a.kind)::int AS of,
           CASE WHEN count(*) OVER (PARTITION BY a.kind) > 1
                THEN 100 * percent_rank() OVER (PARTITION BY a.kind ORDER BY s.score) END AS percentile
    FROM run
    JOIN score s ON s.profile_name = $1 AND s.profile_version = $2 AND s.reference_date = run.reference_date
    JOIN area a ON a.id = s.area_id
    WHERE ($4::text IS NULL OR a.kind = $4)
)
SELECT r.rank_in_kind, r.of, r.percentile, r.key_sum, r.source_key_sum, r.previous_key_sum,
       CASE WHEN r.rr_mean IS NULL THEN r.flags::text END,
       r.code, r.name, r.kind, r.reference_date,
       r.score, r.raw, r.expected, r.rr_mean, r.rr_lower, r.rr_upper,
       r.exposure, r.exposure_unit, r.reference_rate, r.prior_shape,
       r.signal_count, r.source_count, r.corroboration, r.component_observed, r.component_expected,
       r.previous_rr, r.previous_observed, r.previous_expected, r.previous_signal_count,
       r.rate_ratio, r.p_value, r.trend_direction, r.kandidaat
FROM ranked r, reach
WHERE ($5::text IS NULL OR r.code = $5)
  AND area_in_reach(r.geom, reach.geom)
ORDER BY r.score DESC, r.code;
