-- A new code, the same boundary (maybe with another name, kind, parent or exposure), or a
-- changed boundary that gets a new version. The area table only holds a positive exposure.
INSERT INTO area_plan (row_no, code, name, kind, parent_code, exposure, exposure_unit, exposure_given, geom,
                       current_id, same_boundary, same_attributes)
SELECT s.row_no, s.code, s.name, s.kind, s.parent_code, x.exposure, x.exposure_unit, s.exposure_given, s.geom,
       a.id,
       a.id IS NOT NULL AND ST_Equals(a.geom, s.geom),
       a.id IS NOT NULL AND (a.name, a.kind, a.parent_code) IS NOT DISTINCT FROM (s.name, s.kind, s.parent_code)
           AND (NOT s.exposure_given OR (a.exposure, a.exposure_unit) IS NOT DISTINCT FROM (x.exposure, x.exposure_unit))
FROM area_stage s
CROSS JOIN LATERAL (SELECT CASE WHEN s.exposure > 0 THEN s.exposure END AS exposure,
                           CASE WHEN s.exposure > 0 THEN s.exposure_unit END AS exposure_unit) x
LEFT JOIN area a ON a.code = s.code AND a.valid_to IS NULL
WHERE s.error IS NULL
