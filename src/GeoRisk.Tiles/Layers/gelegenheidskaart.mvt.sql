-- Vector tile of the gelegenheidskaart: the cells of the newest model of every study area in
-- the caller's reach whose RRS is above 1 (a risk-raising factor is present), with RRS, its
-- legend class and the factors present. No signal counts: the terrain is not signal data.
-- $1 z, $2 x, $3 y, $4 scope text[] (NULL = everything).
WITH bounds AS (
    SELECT ST_TileEnvelope($1, $2, $3) AS env
), reach AS (
    SELECT scope_reach($4::text[]) AS geom
), latest AS (
    SELECT DISTINCT ON (m.study_area) m.id, m.study_area, m.version
    FROM rtm_model m
    JOIN area a ON a.code = m.study_area AND a.valid_to IS NULL
    CROSS JOIN reach
    WHERE area_in_reach(a.geom, reach.geom)
    ORDER BY m.study_area, m.version DESC
), features AS (
    SELECT l.study_area, l.version, round(c.rrs::numeric, 3)::float8 AS rrs, rtm_rrs_class(c.rrs) AS rrs_class,
           array_to_string(c.factors, ' ') AS factors,
           ST_AsMVTGeom(c.geom_3857, b.env, 4096, 16, true) AS geom
    FROM latest l
    JOIN rtm_cell c ON c.model_id = l.id
    CROSS JOIN bounds b
    WHERE c.geom_3857 && b.env AND c.rrs > 1
)
SELECT coalesce(ST_AsMVT(f, 'gelegenheidskaart', 4096, 'geom'), ''::bytea)
FROM features f
WHERE f.geom IS NOT NULL
