-- Hexagons in tile pixel space (WKB) with their Gi* class. $1 z, $2 x, $3 y, $4 size_m, $5 categories, $6 from month, $7 to month, $8 scope,
-- $9 min count (suppression k or NULL), $10 mean, $11 sd, $12 number of cells (Gi* reference).
SELECT ST_AsBinary(ST_AsMVTGeom(c.geom_3857, ST_TileEnvelope($1, $2, $3), 4096, 64, true)) AS geom, c.gi_class
FROM hexbin_tile_cells($1, $2, $3, $4, $5::text[], $6::date, $7::date, $8::text[], $9::int, $10::float8, $11::float8, $12::bigint) c
