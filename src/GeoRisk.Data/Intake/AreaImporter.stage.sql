-- Parse, transform to RD New and repair feature by feature (intake_area_geometry, sql/0300).
INSERT INTO area_stage (row_no, code, name, parent_code, geom, repaired, invalid_reason, error)
SELECT s.row_no, s.code, s.name, s.parent_code, g.geom, g.repaired, g.invalid_reason, g.error
FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[])
         AS s(row_no, code, name, parent_code, geojson, srid)
CROSS JOIN LATERAL intake_area_geometry(s.geojson, s.srid) AS g
