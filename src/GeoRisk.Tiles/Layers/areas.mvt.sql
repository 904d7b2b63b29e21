-- Vector tile of the areas layer: current area boundaries with kind, latest score and the
-- handhavingsknelpunt flag. Try it in psql:
--   PREPARE t(int,int,int,text,date,text[]) AS <this file>; EXECUTE t(12, 2103, 1346, NULL, NULL, NULL);
-- $1 z, $2 x, $3 y, $4 scoring profile (NULL: any), $5 reference date on or before (NULL: latest),
-- $6 caller scope (text[] of casustafel ids, NULL = unrestricted).
WITH bounds AS (
    SELECT ST_TileEnvelope($1, $2, $3) AS env
), scope AS (
    -- Computed once per tile, not once per area.
    SELECT CASE WHEN $6::text[] IS NULL THEN NULL ELSE scope_geom($6::text[]) END AS geom
), features AS (
    SELECT a.code, a.name, a.kind,
           l.score, l.profile, l.reference_date,
           coalesce(l.flagged, false) AS flagged,
           ST_AsMVTGeom(a.geom_3857, b.env, 4096, 64, true) AS geom
    FROM area a
    CROSS JOIN bounds b
    CROSS JOIN scope sc
    -- The newest score of the area (per the PK index), of the requested profile and date.
    LEFT JOIN LATERAL (
        SELECT round(s.score::numeric, 1)::float8 AS score,
               s.profile_name || ':' || s.profile_version AS profile,
               s.reference_date::text AS reference_date,
               (coalesce((s.flags ->> 'kandidaat')::boolean, false)) AS flagged
        FROM score s
        WHERE s.area_id = a.id
          AND ($4::text IS NULL OR s.profile_name = $4::text)
          AND ($5::date IS NULL OR s.reference_date <= $5::date)
        ORDER BY s.reference_date DESC, s.profile_version DESC, s.computed_at DESC
        LIMIT 1
    ) l ON true
    WHERE a.valid_to IS NULL
      AND a.geom_3857 && b.env
      -- Within the reach (sql/functions/0100_reach.sql): an area that only shares a border or lies partly in it is not drawn.
      AND area_in_reach(a.geom, sc.geom)
)
SELECT coalesce(ST_AsMVT(f, 'areas', 4096, 'geom'), ''::bytea)
FROM features f
WHERE f.geom IS NOT NULL
