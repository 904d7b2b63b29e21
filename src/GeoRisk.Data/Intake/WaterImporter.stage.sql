-- Parse, transform to RD New and repair feature by feature, as area boundaries are.
CREATE TEMP TABLE water_stage ON COMMIT DROP AS
SELECT s.row_no, s.code, s.name, g.geom, g.repaired, g.error
FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::int[]) AS s(row_no, code, name, geojson, srid)
CROSS JOIN LATERAL intake_area_geometry(s.geojson, s.srid) AS g
