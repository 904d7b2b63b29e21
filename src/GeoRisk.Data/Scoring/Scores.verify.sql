-- A stored run recomputed now and compared area by area. $1 profile, $2 version, $3 reference
-- date, $4 kind (NULL = every kind). identical: NULL when the area has no stored score.
-- Score, raw and counts must be equal; components (unrounded sums) to 1e-9 relative.
WITH fresh AS (
    SELECT * FROM score_compute($1, $2, $3, $4)
), stored AS (
    SELECT s.* FROM score s JOIN area a ON a.id = s.area_id
    WHERE s.profile_name = $1 AND s.profile_version = $2 AND s.reference_date = $3 AND ($4::text IS NULL OR a.kind = $4)
)
SELECT a.code,
       CASE WHEN st.area_id IS NULL THEN NULL
            ELSE st.score = f.score AND st.raw = f.raw AND st.signal_count = f.signal_count AND st.source_count = f.source_count
                 AND st.flags -> 'kandidaat' = f.flags -> 'kandidaat'
                 AND NOT EXISTS (
                     SELECT 1 FROM jsonb_each_text(f.components) fc
                     FULL JOIN jsonb_each_text(st.components) sc ON sc.key = fc.key
                     WHERE fc.key IS NULL OR sc.key IS NULL
                        OR abs(fc.value::float8 - sc.value::float8) > 1e-9 * greatest(1, abs(fc.value::float8)))
       END AS identical
FROM fresh f
JOIN area a ON a.id = f.area_id
LEFT JOIN stored st ON st.area_id = f.area_id
ORDER BY a.code;
