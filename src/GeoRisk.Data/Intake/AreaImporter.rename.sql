-- Same boundary, other name, kind, parent or exposure: corrected in place, no new version.
UPDATE area a SET name = p.name, kind = p.kind, parent_code = p.parent_code,
                  exposure = CASE WHEN p.exposure_given THEN p.exposure ELSE a.exposure END,
                  exposure_unit = CASE WHEN p.exposure_given THEN p.exposure_unit ELSE a.exposure_unit END
FROM area_plan p
WHERE a.id = p.current_id AND p.same_boundary AND NOT p.same_attributes
