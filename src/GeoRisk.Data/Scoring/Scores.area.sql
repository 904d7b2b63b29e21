-- One area's stored score, explained. $1 area code, $2 profile, $3 version (NULL = highest),
-- $4 reference date (NULL = latest), $5 caller scope, $6 suppression k (NULL = none).
-- NULL when the area is unknown, outside the scope, or has no stored score.
WITH a AS (
    SELECT a.id, a.code, a.name, a.kind FROM area a
    WHERE a.code = $1 AND a.valid_to IS NULL
      AND ($5::text[] IS NULL OR ST_Intersects(a.geom, scope_geom($5)))
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
    'score', s.score,
    'raw', s.raw,
    -- Per category: weight · decayed rate, shrunk towards the kind's mean, times corroboration. They add up to raw.
    'components', s.components,
    'signal_count', CASE WHEN $6::int IS NOT NULL AND s.signal_count < $6 THEN NULL ELSE s.signal_count END,
    'source_count', CASE WHEN $6::int IS NOT NULL AND s.signal_count < $6 THEN NULL ELSE s.source_count END,
    'corroboration', json_build_object('sources', CASE WHEN $6::int IS NOT NULL AND s.signal_count < $6 THEN NULL ELSE s.source_count END,
                                       'factor', s.flags -> 'corroboration'),
    'shrinkage_weight', s.flags -> 'shrinkage_weight',
    'denominator', s.flags -> 'denominator',
    'denominator_unit', s.flags -> 'denominator_unit',
    'window', s.flags -> 'window',
    'trend', CASE WHEN $6::int IS NOT NULL AND (s.flags -> 'trend' ->> 'previous_signal_count')::int < $6
                  THEN (s.flags -> 'trend') - 'previous_signal_count' ELSE s.flags -> 'trend' END,
    'kandidaat', (s.flags ->> 'kandidaat')::boolean,
    -- Suppressed callers see whether the count thresholds passed, not counts below k.
    'reasons', CASE WHEN $6::int IS NOT NULL AND s.signal_count < $6
                    THEN (SELECT jsonb_agg(CASE WHEN r ->> 'threshold' IN ('min_signals', 'min_sources') THEN r - 'actual' ELSE r END)
                          FROM jsonb_array_elements(s.flags -> 'reasons') r)
                    ELSE s.flags -> 'reasons' END
)::text
FROM a JOIN s ON s.area_id = a.id;
