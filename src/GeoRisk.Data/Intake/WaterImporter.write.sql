-- The staged water polygons replace those of the same code; new codes are added. Returns per row
-- whether it was new.
INSERT INTO context_water AS w (code, name, geom)
SELECT code, name, ST_Multi(geom)
FROM water_stage
ORDER BY row_no
ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, geom = EXCLUDED.geom, imported_at = now()
RETURNING (xmax = 0) AS inserted
