-- Vector tile of the areas layer in the Dutch tiling NetherlandsRDNewQuad (RD New, EPSG:28992):
-- the same features and attributes as areas.mvt.sql, clipped to an RD tile.
-- $1..$4 the tile's box in RD New (min x, min y, max x, max y; from the tile matrix set),
-- $5 caller scope (text[] of casustafel ids, NULL = unrestricted).
WITH bounds AS (
    SELECT ST_MakeEnvelope($1, $2, $3, $4, 28992) AS env
), scope AS MATERIALIZED (
    SELECT CASE WHEN $5::text[] IS NULL THEN NULL ELSE scope_geom($5::text[]) END AS geom
), features AS (
    SELECT a.code, a.name, a.kind,
           l.score, l.profile, l.reference_date,
           coalesce(l.flagged, false) AS flagged,
           ST_AsMVTGeom(a.geom, b.env, 4096, 64, true) AS geom
    FROM area a
    CROSS JOIN bounds b
    CROSS JOIN scope sc
    LEFT JOIN LATERAL (
        SELECT round(s.score::numeric, 1)::float8 AS score,
               s.profile_name || ':' || s.profile_version AS profile,
               s.reference_date::text AS reference_date,
               (score_kandidaat(s.kandidaat, s.flags)) AS flagged
        FROM score s
        WHERE s.area_id = a.id
        ORDER BY s.reference_date DESC, s.profile_version DESC, s.computed_at DESC
        LIMIT 1
    ) l ON true
    WHERE a.valid_to IS NULL
      AND a.geom && b.env
      AND ($5::text[] IS NULL OR ST_Relate(a.geom, sc.geom, 'T********'))
)
SELECT coalesce(ST_AsMVT(f, 'areas', 4096, 'geom'), ''::bytea)
FROM features f
WHERE f.geom IS NOT NULL
