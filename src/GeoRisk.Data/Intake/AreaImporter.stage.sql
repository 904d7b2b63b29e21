-- Parse, transform to RD New and repair feature by feature (intake_area_geometry, sql/0300).
INSERT INTO area_stage (row_no, code, name, kind, parent_code, exposure, exposure_unit, exposure_given, geom, repaired, invalid_reason, error)
SELECT s.row_no, s.code, s.name, s.kind, s.parent_code, s.exposure, s.exposure_unit, s.exposure_given,
       g.geom, g.repaired, g.invalid_reason, g.error
FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[], $8::float8[], $9::text[], $10::boolean[])
         AS s(row_no, code, name, parent_code, geojson, srid, kind, exposure, exposure_unit, exposure_given)
CROSS JOIN LATERAL intake_area_geometry(s.geojson, s.srid) AS g
