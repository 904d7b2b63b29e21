-- What a map cut-out of one area draws besides its layers, in pixel space of the cut-out
-- (ST_AsMVTGeom with the cut-out's bounds; extent 4096 on both axes, the C# side scales x and y
-- to the image). One row per feature: WKB, kind, name, area kind, label x, label y.
-- $1..$4 bounds (EPSG:3857 xmin, ymin, xmax, ymax), $5 area code.
WITH bounds AS (
    SELECT ST_MakeEnvelope($1, $2, $3, $4, 3857) AS env
)
-- The area itself, outlined on top.
SELECT ST_AsBinary(ST_AsMVTGeom(a.geom_3857, b.env::box2d, 4096, 256, true)) AS geom, 'outline' AS kind,
       NULL::text AS name, NULL::text AS area_kind, NULL::float8 AS label_x, NULL::float8 AS label_y
FROM area a, bounds b
WHERE a.code = $5::text AND a.valid_to IS NULL
UNION ALL
-- Context for a cut-out without basemap (drawn only then): the outlines of gemeenten,
-- stadsdelen, wijken and buurten, and a point inside the visible part of each for its name.
-- Public boundaries without scores, so not limited to the caller's reach.
SELECT ST_AsBinary(ST_AsMVTGeom(ST_Boundary(a.geom_3857), b.env::box2d, 4096, 256, true)), 'context',
       a.name, a.kind,
       (ST_X(p.pt) - $1) / ($3 - $1) * 4096, ($4 - ST_Y(p.pt)) / ($4 - $2) * 4096
FROM area a
CROSS JOIN bounds b
CROSS JOIN LATERAL (SELECT ST_PointOnSurface(ST_Intersection(a.geom_3857, b.env)) AS pt) p
WHERE a.valid_to IS NULL AND a.kind IN ('gemeente', 'stadsdeel', 'wijk', 'buurt')
  AND a.geom_3857 && b.env AND ST_Intersects(a.geom_3857, b.env)
UNION ALL
-- Known open water under those lines (filled, so canals and harbour basins read as water), with
-- a point for its name like the areas'.
SELECT ST_AsBinary(ST_AsMVTGeom(w.geom_3857, b.env::box2d, 4096, 256, true)), 'context',
       w.name, 'water',
       (ST_X(p.pt) - $1) / ($3 - $1) * 4096, ($4 - ST_Y(p.pt)) / ($4 - $2) * 4096
FROM context_water w
CROSS JOIN bounds b
CROSS JOIN LATERAL (SELECT ST_PointOnSurface(ST_Intersection(w.geom_3857, b.env)) AS pt) p
WHERE w.geom_3857 && b.env AND ST_Intersects(w.geom_3857, b.env)
