-- The ranking of one stored run as JSON. $1 profile, $2 version (NULL = highest with scores),
-- $3 reference date (NULL = the latest stored), $4 kind (NULL = all), $5 caller scope (NULL =
-- unrestricted: only areas within the reach are listed, sql/functions/0100_reach.sql), $6 suppression k (NULL = none:
-- else counts are published by publish_count with the key sums stored beside them). NULL when no stored run matches.
WITH run AS (
    SELECT s.profile_name, s.profile_version, s.reference_date
    FROM score s JOIN area a ON a.id = s.area_id
    WHERE s.profile_name = $1 AND ($2::int IS NULL OR s.profile_version = $2)
      AND ($3::date IS NULL OR s.reference_date = $3) AND ($4::text IS NULL OR a.kind = $4)
    ORDER BY s.reference_date DESC, s.profile_version DESC
    LIMIT 1
), scope AS MATERIALIZED (
    SELECT scope_reach($5::text[]) AS geom
), listed AS (
    SELECT a.code, a.name, a.kind, s.score, s.raw, s.signal_count, s.source_count, s.flags,
           publish_count(s.signal_count, s.key_sum, $6) AS published_signals,
           publish_count(s.source_count, s.source_key_sum, $6) AS published_sources,
           rank() OVER (PARTITION BY a.kind ORDER BY s.score DESC) AS rank_in_kind
    FROM run
    JOIN score s ON s.profile_name = run.profile_name AND s.profile_version = run.profile_version
                AND s.reference_date = run.reference_date
    JOIN area a ON a.id = s.area_id
    CROSS JOIN scope
    WHERE ($4::text IS NULL OR a.kind = $4)
      AND area_in_reach(a.geom, scope.geom) -- within the reach (sql/functions/0100_reach.sql)
)
SELECT json_build_object(
    'profile', run.profile_name,
    'version', run.profile_version,
    'reference_date', run.reference_date,
    'kind', $4::text,
    'areas', coalesce((
        SELECT json_agg(json_build_object(
            'code', l.code, 'name', l.name, 'kind', l.kind,
            'rank_in_kind', l.rank_in_kind,
            -- Suppressed callers: published values only (see Scores.area.sql).
            'score', CASE WHEN $6::int IS NOT NULL AND l.published_signals IS NULL THEN NULL ELSE round(l.score::numeric, 2) END,
            'raw', CASE WHEN $6::int IS NULL THEN l.raw END,
            'signal_count', CASE WHEN $6::int IS NULL THEN l.signal_count ELSE l.published_signals END,
            'source_count', CASE WHEN $6::int IS NULL THEN l.source_count ELSE l.published_sources END,
            'kandidaat', (l.flags ->> 'kandidaat')::boolean,
            'trend', l.flags -> 'trend' ->> 'direction')
            ORDER BY l.score DESC, l.raw DESC, l.code)
        FROM listed l), '[]'::json)
)::text
FROM run;
