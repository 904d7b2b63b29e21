-- A new code, the same boundary (maybe with another name, kind or parent), or a changed
-- boundary that gets a new version. $1 kind.
INSERT INTO area_plan (row_no, code, name, parent_code, geom, current_id, same_boundary, same_attributes)
SELECT s.row_no, s.code, s.name, s.parent_code, s.geom,
       a.id,
       a.id IS NOT NULL AND ST_Equals(a.geom, s.geom),
       a.id IS NOT NULL AND (a.name, a.kind, a.parent_code) IS NOT DISTINCT FROM (s.name, $1::text, s.parent_code)
FROM area_stage s
LEFT JOIN area a ON a.code = s.code AND a.valid_to IS NULL
WHERE s.error IS NULL
