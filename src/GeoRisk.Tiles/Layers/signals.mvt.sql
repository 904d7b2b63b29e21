-- Vector tile of signals. From $4 (the point zoom) on: one point per signal with category,
-- month, reliability, location precision and n = 1 — never the remark or object reference.
-- A point tile holds at most $10 features (the busiest z14 tile of 1M signals was 1.83 MB with
-- every point): when more signals fall in it, signals of the same category are clustered on
-- the finest grid of 256, 128, 64, 32 or 16 cells per tile side that fits (anchored at the world origin)
-- into one point at their mean position with n = their number, month = the latest month and
-- reliability = the mean; precision is left out (a cluster has many). As tippecanoe's
-- cluster-densest-as-needed: counts are kept (sum of n = signals), only positions coarsen, and
-- only in tiles that would be too big. Below the point zoom: signals aggregated on a grid of
-- 64 x 64 cells per tile, one point per cell with the count. Callers that only see suppressed
-- aggregates ($9 = k) always get cells, only those with at least k signals, placed at the cell
-- centre (never at a mean of signal positions).
-- $1 z, $2 x, $3 y, $4 point zoom, $5 categories text[] (NULL all), $6 from timestamptz,
-- $7 to timestamptz (exclusive), $8 scope text[], $9 suppression k (NULL: none),
-- $10 most features in a point tile.
WITH bounds AS (
    SELECT ST_TileEnvelope($1, $2, $3) AS env,
           (2 * 20037508.342789244) / (2 ^ $1) / 64 AS cell
), scope AS (
    SELECT CASE WHEN $8::text[] IS NULL THEN NULL ELSE scope_geom($8::text[]) END AS geom
), picked AS (
    SELECT s.category, s.observed_at, s.reliability, s.precision, s.geom_3857,
           ST_X(s.geom_3857) AS x, ST_Y(s.geom_3857) AS y
    FROM signal s, bounds b, scope sc
    WHERE s.geom_3857 && b.env
      AND ($5::text[] IS NULL OR s.category = ANY ($5::text[]))
      AND ($6::timestamptz IS NULL OR s.observed_at >= $6::timestamptz)
      AND ($7::timestamptz IS NULL OR s.observed_at < $7::timestamptz)
      AND ($8::text[] IS NULL OR ST_Intersects(s.geom, sc.geom))
), pointwise AS MATERIALIZED (
    SELECT p.*, floor((p.x + 20037508.342789244) / (b.cell / 4)) AS g256,
           floor((20037508.342789244 - p.y) / (b.cell / 4)) AS h256
    FROM picked p, bounds b
    WHERE $1 >= $4 AND $9::int IS NULL
), c256 AS MATERIALIZED (
    -- Clusters of the finest grid; the coarser ones are built from these, not from the signals.
    SELECT g256, h256, category, count(*)::int AS n, sum(x) AS sx, sum(y) AS sy,
           sum(reliability) AS rel, max(observed_at) AS latest
    FROM pointwise
    WHERE (SELECT count(*) FROM pointwise) > $10::int
    GROUP BY g256, h256, category
), c128 AS MATERIALIZED (
    SELECT floor(g256 / 2) AS g, floor(h256 / 2) AS h, category, sum(n)::int AS n, sum(sx) AS sx, sum(sy) AS sy,
           sum(rel) AS rel, max(latest) AS latest
    FROM c256
    WHERE (SELECT count(*) FROM c256) > $10::int
    GROUP BY 1, 2, 3
), c64 AS MATERIALIZED (
    SELECT floor(g / 2) AS g, floor(h / 2) AS h, category, sum(n)::int AS n, sum(sx) AS sx, sum(sy) AS sy,
           sum(rel) AS rel, max(latest) AS latest
    FROM c128
    WHERE (SELECT count(*) FROM c128) > $10::int
    GROUP BY 1, 2, 3
), c32 AS MATERIALIZED (
    SELECT floor(g / 2) AS g, floor(h / 2) AS h, category, sum(n)::int AS n, sum(sx) AS sx, sum(sy) AS sy,
           sum(rel) AS rel, max(latest) AS latest
    FROM c64
    WHERE (SELECT count(*) FROM c64) > $10::int
    GROUP BY 1, 2, 3
), c16 AS MATERIALIZED (
    SELECT floor(g / 2) AS g, floor(h / 2) AS h, category, sum(n)::int AS n, sum(sx) AS sx, sum(sy) AS sy,
           sum(rel) AS rel, max(latest) AS latest
    FROM c32
    WHERE (SELECT count(*) FROM c32) > $10::int
    GROUP BY 1, 2, 3
), clusters AS (
    -- The finest grid whose clusters fit the budget (c16 always does: 256 cells x categories).
    SELECT category, n, sx, sy, rel, latest FROM c256 WHERE (SELECT count(*) FROM c256) <= $10::int
    UNION ALL SELECT category, n, sx, sy, rel, latest FROM c128 WHERE (SELECT count(*) FROM c128) <= $10::int
    UNION ALL SELECT category, n, sx, sy, rel, latest FROM c64 WHERE (SELECT count(*) FROM c64) <= $10::int
    UNION ALL SELECT category, n, sx, sy, rel, latest FROM c32 WHERE (SELECT count(*) FROM c32) <= $10::int
    UNION ALL SELECT category, n, sx, sy, rel, latest FROM c16
), points AS (
    SELECT p.category,
           to_char(p.observed_at AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM') AS month,
           round(p.reliability::numeric, 2)::float8 AS reliability,
           p.precision,
           1 AS n,
           ST_AsMVTGeom(p.geom_3857, b.env, 4096, 16, true) AS geom
    FROM pointwise p, bounds b
    WHERE (SELECT count(*) FROM pointwise) <= $10::int
    UNION ALL
    SELECT c.category,
           to_char(c.latest AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM'),
           round((c.rel / c.n)::numeric, 2)::float8,
           NULL,
           c.n,
           ST_AsMVTGeom(ST_SetSRID(ST_MakePoint(c.sx / c.n, c.sy / c.n), 3857), b.env, 4096, 16, true)
    FROM clusters c, bounds b
), binned AS (
    SELECT floor((p.x + 20037508.342789244) / b.cell) AS gx,
           floor((20037508.342789244 - p.y) / b.cell) AS gy,
           p.x, p.y, p.reliability, p.category
    FROM picked p, bounds b
    WHERE $1 < $4 OR $9::int IS NOT NULL
), cells AS (
    SELECT count(*)::int AS n,
           round(sum(c.reliability)::numeric, 2)::float8 AS weight,
           count(DISTINCT c.category)::int AS categories,
           ST_AsMVTGeom(ST_SetSRID(CASE WHEN $9::int IS NULL
                    THEN ST_MakePoint(avg(c.x), avg(c.y))
                    ELSE ST_MakePoint(-20037508.342789244 + (c.gx + 0.5) * (SELECT cell FROM bounds),
                                      20037508.342789244 - (c.gy + 0.5) * (SELECT cell FROM bounds))
                END, 3857), (SELECT env FROM bounds), 4096, 16, true) AS geom
    FROM binned c
    GROUP BY c.gx, c.gy
    HAVING $9::int IS NULL OR count(*) >= $9::int
)
SELECT coalesce((SELECT ST_AsMVT(pt, 'signals', 4096, 'geom') FROM points pt WHERE pt.geom IS NOT NULL), ''::bytea)
    || coalesce((SELECT ST_AsMVT(c, 'signal_cells', 4096, 'geom') FROM cells c WHERE c.geom IS NOT NULL), ''::bytea)
