-- Same boundary, other name, kind or parent: corrected in place, no new version. $1 kind.
UPDATE area a SET name = p.name, kind = $1::text, parent_code = p.parent_code
FROM area_plan p
WHERE a.id = p.current_id AND p.same_boundary AND NOT p.same_attributes
