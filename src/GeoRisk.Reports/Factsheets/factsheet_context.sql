-- The areas around a factsheet's area for the map cut-out, largest first so that smaller ones
-- are drawn on top; with kind, name and a point inside for the label (gemeenten, wijken and
-- buurten are labelled when there is no basemap). Then known open water in the same frame,
-- clipped to it (a river's polygon can run far beyond), drawn under the context lines.
-- $1 area code
WITH frame AS (
    SELECT a.code, a.geom,
           ST_Expand(a.geom, greatest(ST_XMax(a.geom) - ST_XMin(a.geom), ST_YMax(a.geom) - ST_YMin(a.geom)) * 0.6) AS env
    FROM area a
    WHERE a.code = $1 AND a.valid_to IS NULL
)
(SELECT ST_AsEWKB(o.geom), o.kind, o.name, ST_X(ST_PointOnSurface(o.geom)), ST_Y(ST_PointOnSurface(o.geom))
 FROM frame f
 JOIN area o ON o.valid_to IS NULL AND o.code <> f.code AND o.geom && f.env
 ORDER BY ST_Area(o.geom) DESC
 LIMIT 300)
UNION ALL
SELECT ST_AsEWKB(c.geom), 'water', w.name, ST_X(ST_PointOnSurface(c.geom)), ST_Y(ST_PointOnSurface(c.geom))
FROM frame f
JOIN context_water w ON w.geom && f.env
CROSS JOIN LATERAL (SELECT ST_Intersection(w.geom, ST_Envelope(f.env)) AS geom) c
WHERE NOT ST_IsEmpty(c.geom)
