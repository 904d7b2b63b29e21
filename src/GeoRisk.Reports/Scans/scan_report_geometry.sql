-- Frozen boundaries of a scan for its report: the parent ('parent') and every sub-area, as WKB in RD New.
SELECT 'parent' AS role, s.parent_code AS code, ST_AsBinary(a.geom) AS wkb
FROM scan s JOIN area a ON a.id = s.parent_area_id WHERE s.id = $1
UNION ALL
SELECT 'sub', sa.code, ST_AsBinary(a.geom)
FROM scan_area sa JOIN area a ON a.id = sa.area_id WHERE sa.scan_id = $1
