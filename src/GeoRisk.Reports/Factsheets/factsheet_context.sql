-- The areas around a factsheet's area for the map cut-out, largest first so that smaller ones
-- are drawn on top. $1 area code
SELECT ST_AsEWKB(o.geom)
FROM area a
JOIN area o ON o.valid_to IS NULL AND o.code <> a.code
           AND o.geom && ST_Expand(a.geom, greatest(ST_XMax(a.geom) - ST_XMin(a.geom), ST_YMax(a.geom) - ST_YMin(a.geom)) * 0.6)
WHERE a.code = $1 AND a.valid_to IS NULL
ORDER BY ST_Area(o.geom) DESC
LIMIT 300
