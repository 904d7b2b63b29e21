-- New codes start at $3 (default: valid since 2000, before any signal), new versions at $2.
-- $1 kind.
INSERT INTO area (code, name, kind, parent_code, valid_from, geom)
SELECT p.code, p.name, $1::text, p.parent_code,
       CASE WHEN p.current_id IS NULL THEN coalesce($3::date, DATE '2000-01-01') ELSE $2::date END,
       p.geom
FROM area_plan p
WHERE p.current_id IS NULL OR NOT p.same_boundary
ORDER BY p.row_no
