DELETE FROM area_plan WHERE row_no = ANY ($1::int[])
