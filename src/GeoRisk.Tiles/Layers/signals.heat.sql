-- Signal weights for the heatmap raster, summed per cell of a global grid of $4 metres (half a
-- pixel of a 256 px tile), over the tile widened by $5 (the kernel radius as a fraction of the
-- tile). The grid is anchored at the world origin, so neighbouring tiles see the very same
-- cells and the heatmap has no seams. Returns cell indices; C# turns them into pixels.
-- $1 z, $2 x, $3 y, $4 cell size (m), $5 margin, $6 categories, $7 from, $8 to (exclusive),
-- $9 scope text[], $10 suppression k (NULL none: cells below k are left out).
WITH bounds AS (
    SELECT ST_TileEnvelope($1, $2, $3, margin => $5) AS env
), scope AS (
    SELECT scope_reach($9::text[]) AS geom
)
SELECT floor((ST_X(s.geom_3857) + 20037508.342789244) / $4)::bigint AS gx,
       floor((20037508.342789244 - ST_Y(s.geom_3857)) / $4)::bigint AS gy,
       sum(s.reliability)::float8 AS weight
FROM signal s, bounds b, scope sc
WHERE s.geom_3857 && b.env
  AND ($6::text[] IS NULL OR s.category = ANY ($6::text[]))
  AND ($7::timestamptz IS NULL OR s.observed_at >= $7::timestamptz)
  AND ($8::timestamptz IS NULL OR s.observed_at < $8::timestamptz)
  AND in_reach(s.geom, sc.geom)
GROUP BY 1, 2
HAVING $10::int IS NULL OR count(*) >= $10::int
