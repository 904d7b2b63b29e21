-- One area's stored score, explained. $1 area code, $2 profile, $3 version (NULL = highest),
-- $4 reference date (NULL = latest), $5 caller scope, $6 suppression k (NULL = none).
-- NULL when the area is unknown, outside the scope, or has no stored score.
WITH a AS (
    SELECT a.id, a.code, a.name, a.kind FROM area a
    WHERE a.code = $1 AND a.valid_to IS NULL
      AND area_in_scope(a.geom, $5) -- a stored score covers the whole area: only areas within the reach
), s AS (
    SELECT s.* FROM score s JOIN a ON a.id = s.area_id
    WHERE s.profile_name = $2 AND ($3::int IS NULL OR s.profile_version = $3) AND ($4::date IS NULL OR s.reference_date = $4)
    ORDER BY s.reference_date DESC, s.profile_version DESC
    LIMIT 1
)
SELECT json_build_object(
    'code', a.code, 'name', a.name, 'kind', a.kind,
    'profile', s.profile_name, 'version', s.profile_version, 'reference_date', s.reference_date,
    'computed_at', s.computed_at,
    -- Suppressed callers (viewers) get published values only (docs/access.md, "Suppression"):
    -- counts through publish_count (cell-key noise with the key sums stored beside them, then
    -- rounded), the score only when the count is shown, and nothing that is computed from exact
    -- counts (raw, components, corroboration factor, trend figures).
    'score', CASE WHEN $6::int IS NOT NULL AND publish_count(s.signal_count, s.key_sum, $6) IS NULL THEN NULL ELSE s.score END,
    'raw', CASE WHEN $6::int IS NULL THEN s.raw END,
    -- Per category: weight · decayed rate, shrunk towards the kind's mean, times corroboration. They add up to raw.
    'components', CASE WHEN $6::int IS NULL THEN s.components END,
    'signal_count', CASE WHEN $6::int IS NULL THEN s.signal_count ELSE publish_count(s.signal_count, s.key_sum, $6) END,
    'source_count', CASE WHEN $6::int IS NULL THEN s.source_count ELSE publish_count(s.source_count, s.source_key_sum, $6) END,
    'suppressed', $6::int IS NOT NULL,
    'corroboration', json_build_object('sources', CASE WHEN $6::int IS NULL THEN s.source_count ELSE publish_count(s.source_count, s.source_key_sum, $6) END,
                                       'factor', CASE WHEN $6::int IS NULL THEN s.flags -> 'corroboration' END),
    'shrinkage_weight', s.flags -> 'shrinkage_weight',
    'denominator', s.flags -> 'denominator',
    'denominator_unit', s.flags -> 'denominator_unit',
    'window', s.flags -> 'window',
    'trend', CASE WHEN $6::int IS NULL THEN s.flags -> 'trend'
                  ELSE jsonb_build_object('direction', s.flags -> 'trend' -> 'direction') END,
    'kandidaat', (s.flags ->> 'kandidaat')::boolean,
    -- Suppressed callers see whether the count thresholds passed, not counts below k.
    'reasons', CASE WHEN $6::int IS NOT NULL
                    THEN (SELECT jsonb_agg(r - 'actual')
                          FROM jsonb_array_elements(s.flags -> 'reasons') r)
                    ELSE s.flags -> 'reasons' END
)::text
FROM a JOIN s ON s.area_id = a.id;
