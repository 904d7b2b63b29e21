-- Levels above the imported boundaries (wijk, stadsdeel, gemeente) as the union of the
-- boundaries they contain, so the levels nest exactly. Their exposure is the sum of the parts
-- when every part has one in the same unit, else unknown.
-- $1..$5 the derived areas (row, code, name, kind, parent); $6/$7 which staged code lies in which.
INSERT INTO area_stage (row_no, code, name, kind, parent_code, exposure, exposure_unit, exposure_given, derived,
                        geom, repaired)
SELECT d.row_no, d.code, d.name, d.kind, d.parent_code,
       CASE WHEN count(*) = count(s.exposure) AND count(DISTINCT s.exposure_unit) = 1 THEN sum(s.exposure) END,
       CASE WHEN count(*) = count(s.exposure) AND count(DISTINCT s.exposure_unit) = 1 THEN min(s.exposure_unit) END,
       true, true,
       ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Union(s.geom)), 3)),
       false
FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[]) AS d(row_no, code, name, kind, parent_code)
JOIN unnest($6::text[], $7::text[]) AS l(area_code, part_code) ON l.area_code = d.code
JOIN area_stage s ON s.code = l.part_code AND s.error IS NULL AND NOT s.derived
GROUP BY d.row_no, d.code, d.name, d.kind, d.parent_code
