-- Everything a map cut-out of one area draws, in pixel space of the cut-out (ST_AsMVTGeom with
-- the cut-out's bounds; extent 4096 on both axes, the C# side scales x and y to the image).
-- One row per feature: WKB, kind, score, flagged, weight, name, area kind, label x, label y.
-- $1..$4 bounds (EPSG:3857 xmin, ymin, xmax, ymax), $5 layers text[], $6 scope text[],
-- $7 suppression k (NULL none), $8 area code, $9 signal grid cell (m), $10 profile (NULL any).
WITH bounds AS (
    SELECT ST_MakeEnvelope($1, $2, $3, $4, 3857) AS env
), scope AS MATERIALIZED (
    SELECT scope_reach($6::text[]) AS geom
)
SELECT ST_AsBinary(ST_AsMVTGeom(a.geom_3857, b.env::box2d, 4096, 256, true)) AS geom, 'area' AS kind,
       l.score, coalesce((l.flags ->> 'kandidaat')::boolean, false) AS flagged, NULL::float8 AS weight,
       NULL::text AS name, NULL::text AS area_kind, NULL::float8 AS label_x, NULL::float8 AS label_y
FROM area a
CROSS JOIN bounds b
CROSS JOIN scope sc
LEFT JOIN LATERAL latest_score(a.id, $10::text, NULL) l ON true
WHERE 'areas' = ANY ($5::text[])
  AND a.valid_to IS NULL AND a.geom_3857 && b.env
  -- Interiors must meet: a neighbouring area that only shares a border is not in reach.
  AND area_in_reach(a.geom, sc.geom) -- within the reach (sql/functions/0100_reach.sql)
UNION ALL
SELECT ST_AsBinary(ST_AsMVTGeom(g.cell, b.env::box2d, 4096, 256, true)), 'signal', NULL, NULL, g.weight, NULL, NULL, NULL, NULL
FROM bounds b, (
    SELECT ST_SnapToGrid(s.geom_3857, $9) AS cell, sum(s.reliability)::float8 AS weight, count(*) AS n
    FROM signal s, bounds b, scope sc
    WHERE 'signals' = ANY ($5::text[])
      AND s.geom_3857 && ST_Expand(b.env, $9 * 32)
      AND in_reach(s.geom, sc.geom)
    GROUP BY 1
) g
WHERE $7::int IS NULL OR g.n >= $7::int
UNION ALL
SELECT ST_AsBinary(ST_AsMVTGeom(v.geom, b.env::box2d, 4096, 256, true)), v.kind, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM bounds b, scope sc, camera c
CROSS JOIN LATERAL (VALUES ('viewshed', c.viewshed_3857::geometry), ('camera', c.geom_3857::geometry)) AS v(kind, geom)
WHERE 'cameras' = ANY ($5::text[])
  AND c.viewshed_3857 && b.env
  AND in_reach(c.geom, sc.geom)
UNION ALL
SELECT ST_AsBinary(ST_AsMVTGeom(f.geom_3857, b.env::box2d, 4096, 256, true)), 'incident', NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM overlay_feature f
JOIN overlay_dataset d ON d.id = f.dataset_id AND d.layer = 'incidents'
CROSS JOIN bounds b
CROSS JOIN scope sc
WHERE 'incidents' = ANY ($5::text[])
  AND f.geom_3857 && b.env
  AND in_reach(f.geom, sc.geom)
UNION ALL
-- The area itself, outlined on top.
SELECT ST_AsBinary(ST_AsMVTGeom(a.geom_3857, b.env::box2d, 4096, 256, true)), 'outline', NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM area a, bounds b
WHERE a.code = $8::text AND a.valid_to IS NULL
UNION ALL
-- Context for a cut-out without basemap (drawn only then): the outlines of gemeenten,
-- stadsdelen, wijken and buurten, and a point inside the visible part of each for its name.
-- Public boundaries without scores, so not limited to the caller's reach.
SELECT ST_AsBinary(ST_AsMVTGeom(ST_Boundary(a.geom_3857), b.env::box2d, 4096, 256, true)), 'context', NULL, NULL, NULL,
       a.name, a.kind,
       (ST_X(p.pt) - $1) / ($3 - $1) * 4096, ($4 - ST_Y(p.pt)) / ($4 - $2) * 4096
FROM area a
CROSS JOIN bounds b
CROSS JOIN LATERAL (SELECT ST_PointOnSurface(ST_Intersection(a.geom_3857, b.env)) AS pt) p
WHERE a.valid_to IS NULL AND a.kind IN ('gemeente', 'stadsdeel', 'wijk', 'buurt')
  AND a.geom_3857 && b.env AND ST_Intersects(a.geom_3857, b.env)
