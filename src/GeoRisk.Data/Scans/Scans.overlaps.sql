-- Sub-areas that exist in only one of two scans ($1 baseline, $2 later) and whose frozen
-- boundaries overlap by more than 5 % of the smaller one: the links along which split and
-- merged buurten are grouped. Also reports, for codes in both scans, whether the boundary
-- version changed by more than 1 % of the area (symmetric difference).
WITH a AS (
    SELECT sa.code, ar.geom FROM scan_area sa JOIN area ar ON ar.id = sa.area_id WHERE sa.scan_id = $1
), b AS (
    SELECT sa.code, ar.geom FROM scan_area sa JOIN area ar ON ar.id = sa.area_id WHERE sa.scan_id = $2
)
SELECT 'overlap' AS kind, a.code AS baseline_code, b.code AS later_code
FROM a JOIN b ON ST_Intersects(a.geom, b.geom)
WHERE NOT EXISTS (SELECT 1 FROM b b2 WHERE b2.code = a.code)
  AND NOT EXISTS (SELECT 1 FROM a a2 WHERE a2.code = b.code)
  AND ST_Area(ST_Intersection(a.geom, b.geom)) > 0.05 * least(ST_Area(a.geom), ST_Area(b.geom))
UNION ALL
SELECT 'changed', a.code, b.code
FROM a JOIN b ON b.code = a.code
WHERE NOT ST_Equals(a.geom, b.geom)
  AND ST_Area(ST_SymDifference(a.geom, b.geom)) > 0.01 * ST_Area(a.geom)
