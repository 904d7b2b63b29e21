-- A new version must start after the current one did (valid_to > valid_from). $1 valid_from.
SELECT p.row_no
FROM area_plan p
JOIN area a ON a.id = p.current_id
WHERE NOT p.same_boundary AND a.valid_from >= $1::date
ORDER BY p.row_no
