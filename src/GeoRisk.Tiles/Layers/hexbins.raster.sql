-- Hexagons in tile pixel space (WKB) with their Gi* class. Parameters as hexbins.mvt.sql.
SELECT ST_AsBinary(ST_AsMVTGeom(c.geom_3857, ST_TileEnvelope($1, $2, $3), 4096, 64, true)) AS geom, c.gi_class
FROM hexbin_tile_cells($1, $2, $3, $4, $5::text[], $6::date, $7::date, $8::text[], $9::int, $10::float8, $11::float8, $12::bigint) c
