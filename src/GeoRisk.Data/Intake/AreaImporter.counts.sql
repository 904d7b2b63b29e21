SELECT count(*) FILTER (WHERE current_id IS NULL)                  AS inserted,
       count(*) FILTER (WHERE current_id IS NOT NULL AND NOT same_boundary) AS new_versions,
       count(*) FILTER (WHERE same_boundary AND NOT same_attributes) AS updated,
       count(*) FILTER (WHERE same_boundary AND same_attributes)     AS unchanged
FROM area_plan
