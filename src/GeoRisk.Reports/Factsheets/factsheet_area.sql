-- One area for a factsheet: boundary (EWKB, RD New), its latest stored score under the profile
-- with its rank among areas of the same kind (same profile, version and reference date), and
-- the signal counts of the period and of the previous period of equal length, within the
-- caller's reach. $1 area code, $2 profile name, $3 scope text[] (NULL = all), $4 from, $5 to
WITH a AS (
    SELECT id, code, name, kind, geom FROM area WHERE code = $1 AND valid_to IS NULL
), latest AS (
    SELECT sc.*
    FROM score sc JOIN a ON sc.area_id = a.id
    WHERE sc.profile_name = $2
    ORDER BY sc.reference_date DESC, sc.profile_version DESC
    LIMIT 1
), ranked AS (
    -- ties share a rank (rank(), not row_number()): equal scores are equally urgent
    SELECT sc.area_id, rank() OVER (ORDER BY sc.score DESC) AS rnk, count(*) OVER () AS n
    FROM score sc
    JOIN latest l ON sc.profile_name = l.profile_name AND sc.profile_version = l.profile_version
                 AND sc.reference_date = l.reference_date
    JOIN area x ON x.id = sc.area_id AND x.valid_to IS NULL
    WHERE x.kind = (SELECT kind FROM a)
), scope_shape AS MATERIALIZED (
    SELECT CASE WHEN $3::text[] IS NULL THEN NULL ELSE scope_geom($3::text[]) END AS geom
), reach AS MATERIALIZED (
    -- whole: the entire area is in the caller's reach (always for an unrestricted caller). Its
    -- signals are then exactly its signal-area pairs (ST_Intersects, kept by triggers), counted
    -- from one range of the (area, time) index instead of a point-in-polygon test per signal.
    SELECT a.id,
           $3::text[] IS NULL OR coalesce(ST_CoveredBy(a.geom, sg.geom), false) AS whole,
           CASE WHEN $3::text[] IS NULL THEN a.geom ELSE ST_Intersection(a.geom, sg.geom) END AS geom
    FROM a CROSS JOIN scope_shape sg
)
SELECT a.code, a.name, a.kind, ST_AsEWKB(a.geom) AS geom,
       l.score, l.raw, r.rnk::int, r.n::int, l.profile_name, l.profile_version, l.reference_date,
       l.signal_count, l.source_count, l.components::text, l.flags::text,
       (SELECT CASE WHEN reach.whole
                    THEN (SELECT count(*)::int FROM signal_area sa
                          WHERE sa.area_id = reach.id AND sa.observed_at >= $4 AND sa.observed_at < $5)
                    ELSE (SELECT count(*)::int FROM signal s
                          WHERE ST_Intersects(s.geom, reach.geom) AND s.observed_at >= $4 AND s.observed_at < $5)
               END FROM reach) AS in_period,
       (SELECT CASE WHEN reach.whole
                    THEN (SELECT count(*)::int FROM signal_area sa
                          WHERE sa.area_id = reach.id AND sa.observed_at >= $4 - ($5 - $4) AND sa.observed_at < $4)
                    ELSE (SELECT count(*)::int FROM signal s
                          WHERE ST_Intersects(s.geom, reach.geom) AND s.observed_at >= $4 - ($5 - $4) AND s.observed_at < $4)
               END FROM reach) AS previous_period,
       -- A relative-risk score stored as its numbers, not as documents (migration 2300).
       coalesce(l.rr_mean IS NOT NULL, false) AS compact
FROM a
LEFT JOIN latest l ON true
LEFT JOIN ranked r ON r.area_id = a.id
