-- Stored relative-risk scores of one run with their rank in the kind, as the JSON of
-- GeoRisk.Core.Scoring.RiskScore (flags) plus rank columns. $1 profile, $2 version,
-- $3 reference date (NULL = the latest stored), $4 kind (NULL = all), $5 area code (NULL = all),
-- $6 caller scope (NULL = unrestricted; otherwise only areas within the reach, sql/functions/0100_reach.sql).
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
    SELECT a.code, a.geom, s.score, s.flags, s.key_sum, s.source_key_sum, s.previous_key_sum,
           rank() OVER (PARTITION BY a.kind ORDER BY s.score DESC)::int AS rank_in_kind,
           count(*) OVER (PARTITION BY a.kind)::int AS of,
           CASE WHEN count(*) OVER (PARTITION BY a.kind) > 1
                THEN 100 * percent_rank() OVER (PARTITION BY a.kind ORDER BY s.score) END AS percentile
    FROM run
    JOIN score s ON s.profile_name = $1 AND s.profile_version = $2 AND s.reference_date = run.reference_date
    JOIN area a ON a.id = s.area_id
    WHERE ($4::text IS NULL OR a.kind = $4)
)
SELECT r.flags::text, r.rank_in_kind, r.of, r.percentile, r.key_sum, r.source_key_sum, r.previous_key_sum
FROM ranked r, reach
WHERE ($5::text IS NULL OR r.code = $5)
  AND area_in_reach(r.geom, reach.geom)
ORDER BY r.score DESC, r.code;
