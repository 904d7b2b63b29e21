-- Source of the OGC API collection 'hotspots': hexagon cells that are hot spots by Getis-Ord
-- Gi* over the cell and its six neighbours (class 1, 2, 3 at 90/95/99 % confidence), per cell
-- size, on all signals. The reference mean and spread are those of all non-empty cells of the
-- size (as in the hexbins tiles). For a scoped caller only cells wholly inside the reach count,
-- as cells and as neighbours, so nothing outside the reach shows through a neighbour sum.
-- $1 caller scope, $2 suppression k (NULL: none; counts as publish_count gives them with the key
-- sums hex_total keeps, cells it withholds dropped, and no z: what the hexbins tiles give such a
-- caller, since z is a linear function of the exact counts of the cell and its neighbours and
-- would give them back; the class stays), $3 unused.
WITH stats AS (
    SELECT t.size_m, avg(t.n)::float8 AS mean, coalesce(stddev_samp(t.n), 0)::float8 AS sd, count(*) AS n_cells
    FROM hex_total t
    GROUP BY t.size_m
), visible AS (
    SELECT t.size_m, t.q, t.r, t.n, t.key_sum, c.geom
    FROM hex_total t
    JOIN hex_cell c ON c.size_m = t.size_m AND c.q = t.q AND c.r = t.r
    WHERE $1::text[] IS NULL OR ST_CoveredBy(c.geom, (SELECT scope_geom($1::text[])))
), local AS (
    -- Each cell adds its count to itself and its six axial neighbours: one hash aggregate
    -- instead of a neighbour lookup per cell.
    SELECT v.size_m, v.q + o.dq AS q, v.r + o.dr AS r, sum(v.n) AS local_sum
    FROM visible v
    CROSS JOIN (VALUES (0, 0), (1, 0), (-1, 0), (0, 1), (0, -1), (1, -1), (-1, 1)) AS o (dq, dr)
    GROUP BY 1, 2, 3
), z AS (
    SELECT v.size_m, v.q, v.r, v.n, v.key_sum, v.geom,
           CASE WHEN st.sd > 0 AND st.n_cells > 7
                THEN round(((l.local_sum - st.mean * 7) / (st.sd * sqrt((7 * st.n_cells - 49)::float8 / (st.n_cells - 1))))::numeric, 2)::float8
           END AS gi_z
    FROM visible v
    JOIN local l ON l.size_m = v.size_m AND l.q = v.q AND l.r = v.r
    JOIN stats st ON st.size_m = v.size_m
)
SELECT z.size_m || '-' || z.q || '-' || z.r AS id, z.geom,
       z.size_m, z.q, z.r,
       CASE WHEN $2::int IS NULL THEN z.n::bigint ELSE publish_count(z.n, z.key_sum, $2::int) END AS n,
       CASE WHEN $2::int IS NULL THEN z.gi_z END AS gi_z,
       CASE WHEN z.gi_z >= 2.58 THEN 3 WHEN z.gi_z >= 1.96 THEN 2 ELSE 1 END AS gi_class
FROM z
WHERE z.gi_z >= 1.65
  AND ($2::int IS NULL OR publish_count(z.n, z.key_sum, $2::int) IS NOT NULL)
