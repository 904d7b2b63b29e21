-- Area polygons for the choropleth raster: geometry in tile pixel space (ST_AsMVTGeom, extent
-- 4096, y down) as WKB, with the latest score and flag. Parameters as tile_areas (sql/functions/0800_tile_layers.sql); $7 extent
-- buffer so that outlines of areas just outside the tile are not cut at the edge.
WITH bounds AS (
    SELECT ST_TileEnvelope($1, $2, $3) AS env
), scope AS (
    SELECT scope_reach($6::text[]) AS geom
)
SELECT ST_AsBinary(ST_AsMVTGeom(a.geom_3857, b.env, 4096, $7, true)) AS geom,
       l.score,
       coalesce((l.flags ->> 'kandidaat')::boolean, false) AS flagged
FROM area a
CROSS JOIN bounds b
CROSS JOIN scope sc
LEFT JOIN LATERAL latest_score(a.id, $4::text, $5::date) l ON true
WHERE a.valid_to IS NULL
  AND a.geom_3857 && b.env
  -- Interiors must meet: a neighbouring area that only shares a border is not in reach.
  AND area_in_reach(a.geom, sc.geom) -- within the reach (sql/functions/0100_reach.sql)
-- Large areas first, so that small areas inside them stay visible on top.
ORDER BY a.area_km2 DESC
