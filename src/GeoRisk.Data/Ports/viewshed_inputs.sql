-- Cameras to re-clip with the footprints (WKB, RD New) of the obstacles that touch their plain
-- sector; NULL when none do. $1 camera ids (NULL = any), $2..$5 a box (NULL = anywhere).
SELECT c.id, ST_X(c.geom), ST_Y(c.geom), c.heading_deg, c.fov_deg, c.range_m,
       (SELECT array_agg(ST_AsBinary(o.geom) ORDER BY o.id)
        FROM obstacle o
        WHERE o.geom && c.viewshed AND ST_Intersects(o.geom, c.viewshed)) AS obstacles
FROM camera c
WHERE ($1::bigint[] IS NULL OR c.id = ANY ($1::bigint[]))
  AND ($2::float8 IS NULL OR c.viewshed && ST_MakeEnvelope($2, $3, $4, $5, 28992))
ORDER BY c.id
