-- Vector tile of the hexagon grid at the cell size of this zoom (hexbin_tile_cells, sql/0501).
-- $1 z, $2 x, $3 y, $4 size_m, $5 categories, $6 from month, $7 to month, $8 scope, $9 min
-- count (suppression k or NULL), $10 mean, $11 sd, $12 number of cells (Gi* reference).
SELECT coalesce(ST_AsMVT(f, 'hexbins', 4096, 'geom'), ''::bytea)
FROM (
    -- Suppressed callers ($9 = k): the published count (suppress_count: rounded to fives, cells
    -- below k are dropped by hexbin_tile_cells), the rate computed from it, no weight and no z
    -- (both would give the exact count away); the Gi* class stays.
    SELECT c.q, c.r, $4::int AS size_m,
           CASE WHEN $9::int IS NULL THEN c.n ELSE suppress_count(c.n, $9)::int END AS n,
           CASE WHEN $9::int IS NULL THEN round(c.weight::numeric, 2)::float8 END AS weight,
           round((CASE WHEN $9::int IS NULL THEN c.rate_km2 ELSE c.rate_km2 * suppress_count(c.n, $9) / c.n END)::numeric, 2)::float8 AS rate_km2,
           CASE WHEN $9::int IS NULL THEN c.gi_z END AS gi_z, c.gi_class,
           ST_AsMVTGeom(c.geom_3857, ST_TileEnvelope($1, $2, $3), 4096, 16, true) AS geom
    FROM hexbin_tile_cells($1, $2, $3, $4, $5::text[], $6::date, $7::date, $8::text[], $9::int, $10::float8, $11::float8, $12::bigint) c
) f
WHERE f.geom IS NOT NULL
