-- The casustafels a caller may see, with their current areas and the bounding box of those
-- areas in WGS84 (for the map's "zoom to casustafel"). $1 caller scope text[] (NULL = all)
SELECT c.id, c.name, c.description,
       coalesce(json_agg(json_build_object('code', a.code, 'name', a.name, 'kind', a.kind) ORDER BY a.code)
                FILTER (WHERE a.code IS NOT NULL), '[]')::text AS areas,
       ST_XMin(e.box) AS west, ST_YMin(e.box) AS south, ST_XMax(e.box) AS east, ST_YMax(e.box) AS north
FROM casustafel c
LEFT JOIN casustafel_area ca ON ca.casustafel_id = c.id
LEFT JOIN area a ON a.code = ca.area_code AND a.valid_to IS NULL
CROSS JOIN LATERAL (
    SELECT ST_Extent(ST_Transform(a2.geom, 4326))::geometry AS box
    FROM casustafel_area ca2
    JOIN area a2 ON a2.code = ca2.area_code AND a2.valid_to IS NULL
    WHERE ca2.casustafel_id = c.id
) e
WHERE $1::text[] IS NULL OR c.id = ANY ($1::text[])
GROUP BY c.id, c.name, c.description, e.box
ORDER BY c.name
