-- Vector tile of the incidents overlay: features of the datasets whose layer is 'incidents'
-- (port incidents and the like), with dataset, kind and month. Properties are not copied:
-- an upload may carry fields we have not vetted.
-- Incidents belong to a programme: a caller bound to casustafels sees only those programmes'.
-- $1 z, $2 x, $3 y, $4 from timestamptz, $5 to timestamptz (exclusive), $6 programmes text[] (NULL = all, empty = none).
WITH bounds AS (
    SELECT ST_TileEnvelope($1, $2, $3) AS env
), features AS (
    SELECT d.code AS dataset, d.programme, f.kind,
           to_char(f.observed_at AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM') AS month,
           ST_AsMVTGeom(f.geom_3857, b.env, 4096, 16, true) AS geom
    FROM overlay_feature f
    JOIN overlay_dataset d ON d.id = f.dataset_id AND d.layer = 'incidents'
    CROSS JOIN bounds b
    WHERE f.geom_3857 && b.env
      AND ($4::timestamptz IS NULL OR f.observed_at >= $4::timestamptz)
      AND ($5::timestamptz IS NULL OR f.observed_at < $5::timestamptz)
      AND ($6::text[] IS NULL OR d.programme = ANY ($6::text[]))
)
SELECT coalesce(ST_AsMVT(f, 'incidents', 4096, 'geom'), ''::bytea)
FROM features f
WHERE f.geom IS NOT NULL
