-- The signals around a casustafel's areas (or one of them) that the signal list needs:
-- candidates (inside the areas, in the period, of the asked categories) and the pool they are
-- corroborated against (any category, within the corroboration radius of the areas and days of
-- the period). Both stay inside the caller's reach, so the corroboration count reveals nothing
-- beyond it. Ranking and corroboration are computed in C# (GeoRisk.Core.Signaallijst); where
-- the listed rows are shown is read afterwards for those rows only (signaallijst_locations.sql).
-- $1 casustafel id, $2 caller scope text[] (NULL = unrestricted), $3 area code or NULL,
-- $4 categories text[] or NULL, $5 from, $6 to (exclusive), $7 corroboration radius (m),
-- $8 corroboration days.
WITH ct_area AS (
    -- current boundaries of the casustafel's areas
    SELECT a.code, a.name, a.geom
    FROM casustafel_area ca
    JOIN area a ON a.code = ca.area_code AND a.valid_to IS NULL
    WHERE ca.casustafel_id = $1
      AND ($3::text IS NULL OR a.code = $3)
), reach AS MATERIALIZED (
    SELECT ST_Union(geom) AS geom FROM ct_area
), scope AS MATERIALIZED (
    SELECT scope_reach($2::text[]) AS geom
), pool AS (
    SELECT s.id, s.source, s.category, s.observed_at, s.reliability, s.precision, s.followup_status, s.geom,
           ST_Intersects(s.geom, r.geom) AS inside
    FROM signal s, reach r, scope sc
    WHERE ST_DWithin(s.geom, r.geom, $7)
      AND s.observed_at >= $5 - make_interval(days => $8)
      AND s.observed_at < $6 + make_interval(days => $8)
      AND (sc.geom IS NULL OR ST_Intersects(s.geom, sc.geom))
)
SELECT p.id, p.category, p.source, p.observed_at, p.reliability, p.precision, p.followup_status,
       ST_X(p.geom) AS true_x, ST_Y(p.geom) AS true_y,
       (p.inside AND p.observed_at >= $5 AND p.observed_at < $6
            AND ($4::text[] IS NULL OR p.category = ANY ($4::text[]))) AS candidate
FROM pool p
