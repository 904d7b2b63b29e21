-- Sub-areas that exist in only one of two scans ($1 baseline, $2 later) and whose frozen
-- boundaries overlap by more than 5 % of the smaller one: the links along which split and
-- merged buurten are grouped. Also reports, for codes in both scans, whether the boundary
-- version changed by more than 1 % of the area (symmetric difference).
-- Geometry is only compared where it can differ: codes in one scan only, and codes whose
-- boundary version (area id) differs; two scans on the same boundaries compare no polygons.
WITH a AS MATERIALIZED (
    SELECT sa.code, sa.area_id FROM scan_area sa WHERE sa.scan_id = $1
), b AS MATERIALIZED (
    SELECT sa.code, sa.area_id FROM scan_area sa WHERE sa.scan_id = $2
), only_a AS (
    SELECT a.code, ar.geom FROM a JOIN area ar ON ar.id = a.area_id WHERE NOT EXISTS (SELECT 1 FROM b WHERE b.code = a.code)
), only_b AS (
    SELECT b.code, ar.geom FROM b JOIN area ar ON ar.id = b.area_id WHERE NOT EXISTS (SELECT 1 FROM a WHERE a.code = b.code)
)
SELECT 'overlap' AS kind, oa.code AS baseline_code, ob.code AS later_code
FROM only_a oa JOIN only_b ob ON ST_Intersects(oa.geom, ob.geom)
WHERE ST_Area(ST_Intersection(oa.geom, ob.geom)) > 0.05 * least(ST_Area(oa.geom), ST_Area(ob.geom))
UNION ALL
SELECT 'changed', a.code, b.code
FROM a JOIN b ON b.code = a.code AND b.area_id <> a.area_id
JOIN area ga ON ga.id = a.area_id
JOIN area gb ON gb.id = b.area_id
WHERE NOT ST_Equals(ga.geom, gb.geom)
  AND ST_Area(ST_SymDifference(ga.geom, gb.geom)) > 0.01 * ST_Area(ga.geom)
