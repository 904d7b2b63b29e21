-- Incident features in tile pixel space (WKB). $1 z, $2 x, $3 y, $4 from, $5 to (exclusive), $6 programmes text[] (NULL all, empty none), $7 buffer.
WITH bounds AS (
    SELECT ST_TileEnvelope($1, $2, $3) AS env
)
SELECT ST_AsBinary(ST_AsMVTGeom(f.geom_3857, b.env, 4096, $7, true)) AS geom
FROM overlay_feature f
JOIN overlay_dataset d ON d.id = f.dataset_id AND d.layer = 'incidents'
CROSS JOIN bounds b
WHERE f.geom_3857 && ST_Expand(b.env, (ST_XMax(b.env) - ST_XMin(b.env)) / 16)
  AND ($4::timestamptz IS NULL OR f.observed_at >= $4::timestamptz)
  AND ($5::timestamptz IS NULL OR f.observed_at < $5::timestamptz)
  AND ($6::text[] IS NULL OR d.programme = ANY ($6::text[]))
