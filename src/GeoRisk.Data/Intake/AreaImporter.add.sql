-- New codes start at $2 (default: valid since 2000, before any signal), new versions at $1.
INSERT INTO area (code, name, kind, parent_code, exposure, exposure_unit, valid_from, geom)
SELECT p.code, p.name, p.kind, p.parent_code, p.exposure, p.exposure_unit,
       CASE WHEN p.current_id IS NULL THEN coalesce($2::date, DATE '2000-01-01') ELSE $1::date END,
       p.geom
FROM area_plan p
WHERE p.current_id IS NULL OR NOT p.same_boundary
ORDER BY p.row_no
