-- The areas around a factsheet's area for the map cut-out, largest first so that smaller ones
-- are drawn on top; with kind, name and a point inside for the label (gemeenten, wijken and
-- buurten are labelled when there is no basemap). $1 area code
SELECT ST_AsEWKB(o.geom), o.kind, o.name, ST_X(ST_PointOnSurface(o.geom)), ST_Y(ST_PointOnSurface(o.geom))
FROM area a
JOIN area o ON o.valid_to IS NULL AND o.code <> a.code
           AND o.geom && ST_Expand(a.geom, greatest(ST_XMax(a.geom) - ST_XMin(a.geom), ST_YMax(a.geom) - ST_YMin(a.geom)) * 0.6)
WHERE a.code = $1 AND a.valid_to IS NULL
ORDER BY ST_Area(o.geom) DESC
LIMIT 300
