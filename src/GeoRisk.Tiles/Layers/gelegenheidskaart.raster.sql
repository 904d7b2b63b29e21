-- Gelegenheidskaart cells in tile pixel space (WKB) with their RRS class. Parameters as gelegenheidskaart.mvt.sql.
WITH bounds AS (
    SELECT ST_TileEnvelope($1, $2, $3) AS env
), reach AS (
    SELECT scope_reach($4::text[]) AS geom
), latest AS (
    SELECT DISTINCT ON (m.study_area) m.id
    FROM rtm_model m
    JOIN area a ON a.code = m.study_area AND a.valid_to IS NULL
    CROSS JOIN reach
    WHERE area_in_reach(a.geom, reach.geom)
    ORDER BY m.study_area, m.version DESC
)
SELECT ST_AsBinary(ST_AsMVTGeom(c.geom_3857, b.env, 4096, 64, true)) AS geom, rtm_rrs_class(c.rrs) AS rrs_class
FROM latest l
JOIN rtm_cell c ON c.model_id = l.id
CROSS JOIN bounds b
WHERE c.geom_3857 && b.env AND c.rrs > 1
