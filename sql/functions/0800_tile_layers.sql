-- Vector tiles, one function per layer: tile_<layer>(z, x, y, filter, scope, k) returns the
-- layer's Mapbox Vector Tile (an empty bytea when nothing is there). The generic layer class
-- (GeoRisk.Tiles.DefinedTileLayer) calls it with
--   filter  jsonb: categories (array or null), from / to (timestamptz, to exclusive), from_date /
--           to_date (dates, to inclusive), profile (text), plus what the layer definition adds
--           (the point zoom of signals, the hexagon size and Gi* reference statistics);
--   scope   what the definition makes of the caller's scope: the casustafel ids (NULL for an
--           unrestricted caller), or for cameras and incidents the programmes the caller sees
--           (NULL all, empty none);
--   k       the suppression threshold for a suppressed caller, NULL otherwise.
-- Reach: in_reach for points and small features, area_in_reach for areas (0100_reach.sql).
--
-- Each function runs its query through EXECUTE ... USING: PL/pgSQL then plans it for the values
-- of this call, as a query sent by the client is planned. A LANGUAGE sql function body that is
-- not inlined is planned once without the values (generic plan), which misjudges how many rows
-- a tile holds and made the signals tile about 1.7 times slower.

-- The categories of a tile filter as text[] (NULL: every category).
CREATE OR REPLACE FUNCTION tile_filter_categories(filter jsonb)
RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN jsonb_typeof(filter -> 'categories') = 'array'
                THEN ARRAY(SELECT jsonb_array_elements_text(filter -> 'categories')) END
$$;

-- Current area boundaries with kind, latest score (of the filter's profile, on or before its
-- end date) and the handhavingsknelpunt (kandidaat) flag.
CREATE OR REPLACE FUNCTION tile_areas(z int, x int, y int, filter jsonb, scope text[], k int)
RETURNS bytea
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $fn$
DECLARE
    tile bytea;
BEGIN
    EXECUTE $q$
        WITH bounds AS (
            SELECT ST_TileEnvelope($1, $2, $3) AS env
        ), scope AS MATERIALIZED (
            -- Computed once per tile, not once per area.
            SELECT scope_reach($6::text[]) AS geom
        ), features AS (
            SELECT a.code, a.name, a.kind,
                   round(l.score::numeric, 1)::float8 AS score,
                   l.profile_name || ':' || l.profile_version AS profile,
                   l.reference_date::text AS reference_date,
                   score_kandidaat(l.kandidaat, l.flags) AS flagged,
                   ST_AsMVTGeom(a.geom_3857, b.env, 4096, 64, true) AS geom
            FROM area a
            CROSS JOIN bounds b
            CROSS JOIN scope sc
            LEFT JOIN LATERAL latest_score(a.id, $4::text, $5::date) l ON true
            WHERE a.valid_to IS NULL
              AND a.geom_3857 && b.env
              -- Within the reach (sql/functions/0100_reach.sql): an area that only shares a border or lies partly in it is not drawn.
              AND area_in_reach(a.geom, sc.geom)
        )
        SELECT coalesce(ST_AsMVT(f, 'areas', 4096, 'geom'), ''::bytea)
        FROM features f
        WHERE f.geom IS NOT NULL
    $q$
    INTO tile
    USING z, x, y, filter ->> 'profile', (filter ->> 'to_date')::date, scope;
    RETURN tile;
END
$fn$;

-- Signals. From the point zoom (filter point_zoom) on: one point per signal with category,
-- month, reliability, location precision and n = 1 — never the remark or object reference.
-- A point tile holds at most filter max_points features (the busiest z14 tile of 1M signals was
-- 1.83 MB with every point): when more signals fall in it, signals of the same category are
-- clustered on the finest grid of 256, 128, 64, 32 or 16 cells per tile side that fits (anchored
-- at the world origin) into one point at their mean position with n = their number, month = the
-- latest month and reliability = the mean; precision is left out (a cluster has many). As
-- tippecanoe's cluster-densest-as-needed: counts are kept (sum of n = signals), only positions
-- coarsen, and only in tiles that would be too big. Below the point zoom: signals aggregated on
-- a grid of 64 x 64 cells per tile, one point per cell with the count. Suppressed callers (k)
-- always get cells, only those with at least k signals, placed at the cell centre (never at a
-- mean of signal positions), with the published count (rounded to fives) and no weight.
-- In the query: $4 point zoom, $5 categories, $6 from, $7 to (exclusive), $8 scope, $9 k,
-- $10 most features in a point tile.
CREATE OR REPLACE FUNCTION tile_signals(z int, x int, y int, filter jsonb, scope text[], k int)
RETURNS bytea
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $fn$
DECLARE
    tile bytea;
BEGIN
    EXECUTE $q$
        WITH bounds AS (
            SELECT ST_TileEnvelope($1, $2, $3) AS env,
                   (2 * 20037508.342789244) / (2 ^ $1) / 64 AS cell
        ), scope AS MATERIALIZED (
            SELECT scope_reach($8::text[]) AS geom
        ), picked AS (
            SELECT s.category, s.observed_at, s.reliability, s.precision, s.geom_3857,
                   ST_X(s.geom_3857) AS x, ST_Y(s.geom_3857) AS y, s.record_key
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
                   p.x, p.y, p.reliability, p.category, p.record_key
            FROM picked p, bounds b
            WHERE $1 < $4 OR $9::int IS NOT NULL
        ), cells AS (
            -- Suppressed callers: the published count (publish_count: cell-key noise, then rounded
            -- to fives; cells it withholds are dropped below), no weight, no category count.
            SELECT CASE WHEN $9::int IS NULL THEN count(*)::int ELSE publish_count(count(*), sum(c.record_key), $9)::int END AS n,
                   CASE WHEN $9::int IS NULL THEN round(sum(c.reliability)::numeric, 2)::float8 END AS weight,
                   CASE WHEN $9::int IS NULL THEN count(DISTINCT c.category)::int END AS categories,
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
            || coalesce((SELECT ST_AsMVT(c, 'signal_cells', 4096, 'geom') FROM cells c WHERE c.geom IS NOT NULL AND c.n IS NOT NULL), ''::bytea)
    $q$
    INTO tile
    USING z, x, y, coalesce((filter ->> 'point_zoom')::int, 14), tile_filter_categories(filter),
          (filter ->> 'from')::timestamptz, (filter ->> 'to')::timestamptz, scope, k,
          coalesce((filter ->> 'max_points')::int, 12000);
    RETURN tile;
END
$fn$;

-- The hexagon grid (hexbin_tile_cells) at the cell size the definition chose for the zoom
-- (filter size_m), with counts, rate and Gi* against the reference statistics in the filter
-- (mean, sd, n_cells). hex_count is per month: the date filter selects the months it touches.
-- Suppressed callers (k): the published count (publish_count: cell-key noise, rounded to fives;
-- cells below k are dropped by hexbin_tile_cells, cells the noise takes below k here), the rate
-- computed from it, no weight and no z (both would give the exact count away); the Gi* class stays.
CREATE OR REPLACE FUNCTION tile_hexbins(z int, x int, y int, filter jsonb, scope text[], k int)
RETURNS bytea
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $fn$
DECLARE
    tile bytea;
BEGIN
    EXECUTE $q$
        SELECT coalesce(ST_AsMVT(f, 'hexbins', 4096, 'geom'), ''::bytea)
        FROM (
            -- Suppressed callers ($9 = k): the published count (publish_count: cell-key noise, then
            -- rounded to fives; cells below k are dropped by hexbin_tile_cells, cells the noise
            -- takes below k here), the rate computed from it, no weight and no z (both would give
            -- the exact count away); the Gi* class stays.
            SELECT c.q, c.r, $4::int AS size_m,
                   CASE WHEN $9::int IS NULL THEN c.n ELSE p.n::int END AS n,
                   CASE WHEN $9::int IS NULL THEN round(c.weight::numeric, 2)::float8 END AS weight,
                   round((CASE WHEN $9::int IS NULL THEN c.rate_km2 ELSE c.rate_km2 * p.n / c.n END)::numeric, 2)::float8 AS rate_km2,
                   CASE WHEN $9::int IS NULL THEN c.gi_z END AS gi_z, c.gi_class,
                   ST_AsMVTGeom(c.geom_3857, ST_TileEnvelope($1, $2, $3), 4096, 16, true) AS geom
            FROM hexbin_tile_cells($1, $2, $3, $4, $5::text[], $6::date, $7::date, $8::text[], $9::int, $10::float8, $11::float8, $12::bigint) c
            CROSS JOIN LATERAL (SELECT publish_count(c.n, c.key_sum, $9::int) AS n) p
            WHERE $9::int IS NULL OR p.n IS NOT NULL
        ) f
        WHERE f.geom IS NOT NULL
    $q$
    INTO tile
    USING z, x, y, (filter ->> 'size_m')::int, tile_filter_categories(filter),
          date_trunc('month', (filter ->> 'from_date')::date)::date, date_trunc('month', (filter ->> 'to_date')::date)::date,
          scope, k, (filter ->> 'mean')::float8, (filter ->> 'sd')::float8, (filter ->> 'n_cells')::bigint;
    RETURN tile;
END
$fn$;

-- Cameras: layer 'cameras' (points: owner, heading, field of view, range, status, programme)
-- and layer 'viewsheds' (what each camera sees: its sector clipped by obstacles). Cameras
-- belong to a programme: scope holds the programmes the caller sees (NULL all, empty none).
CREATE OR REPLACE FUNCTION tile_cameras(z int, x int, y int, filter jsonb, scope text[], k int)
RETURNS bytea
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $fn$
DECLARE
    tile bytea;
BEGIN
    EXECUTE $q$
        WITH bounds AS (
            SELECT ST_TileEnvelope($1, $2, $3) AS env
        ), picked AS (
            SELECT c.* FROM camera c, bounds b
            WHERE c.viewshed_3857 && b.env
              AND ($4::text[] IS NULL OR c.programme = ANY ($4::text[]))
        ), points AS (
            SELECT p.external_id AS id, p.owner, p.heading_deg AS heading, p.fov_deg AS fov, p.range_m AS range, p.status, p.programme,
                   ST_AsMVTGeom(p.geom_3857, b.env, 4096, 16, true) AS geom
            FROM picked p, bounds b
        ), sectors AS (
            SELECT p.external_id AS id, p.owner,
                   ST_AsMVTGeom(ST_Transform(p.view_geom, 3857), b.env, 4096, 64, true) AS geom
            FROM picked p, bounds b
        )
        SELECT coalesce((SELECT ST_AsMVT(pt, 'cameras', 4096, 'geom') FROM points pt WHERE pt.geom IS NOT NULL), ''::bytea)
            || coalesce((SELECT ST_AsMVT(s, 'viewsheds', 4096, 'geom') FROM sectors s WHERE s.geom IS NOT NULL), ''::bytea)
    $q$
    INTO tile
    USING z, x, y, scope;
    RETURN tile;
END
$fn$;

-- Incidents: features of the overlay datasets whose layer is 'incidents' (port incidents and
-- the like), with dataset, kind and month. Properties are not copied: an upload may carry
-- fields we have not vetted. Incidents belong to a programme: scope holds the programmes the
-- caller sees (NULL all, empty none).
CREATE OR REPLACE FUNCTION tile_incidents(z int, x int, y int, filter jsonb, scope text[], k int)
RETURNS bytea
LANGUAGE plpgsql STABLE PARALLEL SAFE
AS $fn$
DECLARE
    tile bytea;
BEGIN
    EXECUTE $q$
        WITH bounds AS (
            SELECT ST_TileEnvelope($1, $2, $3) AS env
        ), features AS (
            SELECT d.code AS dataset, d.programme, f.kind,
                   to_char(f.observed_at AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM') AS month,
                   ST_AsMVTGeom(f.geom_3857, b.env, 4096, 16, true) AS geom
            FROM overlay_feature f
            JOIN overlay_dataset d ON d.id = f.dataset_id AND d.layer = 'incidents'
            CROSS JOIN bounds b
            WHERE f.geom_3857 && b.env
              AND ($4::timestamptz IS NULL OR f.observed_at >= $4::timestamptz)
              AND ($5::timestamptz IS NULL OR f.observed_at < $5::timestamptz)
              AND ($6::text[] IS NULL OR d.programme = ANY ($6::text[]))
        )
        SELECT coalesce(ST_AsMVT(f, 'incidents', 4096, 'geom'), ''::bytea)
        FROM features f
        WHERE f.geom IS NOT NULL
    $q$
    INTO tile
    USING z, x, y, (filter ->> 'from')::timestamptz, (filter ->> 'to')::timestamptz, scope;
    RETURN tile;
END
$fn$;
