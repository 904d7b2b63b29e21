-- Raster features, one function per layer that has PNG tiles (here, except
-- tile_gelegenheidskaart_raster beside its vector function in 2000_rtm.sql):
--   tile_<layer>_raster(bounds geometry, extent int, buffer int, filter jsonb, scope text[], k int)
--   RETURNS TABLE (geom bytea, class text, value float8)
-- One row per feature to draw, in drawing order: the geometry as WKB in the pixel space of
-- `bounds` (an EPSG:3857 box: a tile, or the extent of an area's map cut-out) scaled to `extent`
-- units on both axes with y down — what ST_AsMVTGeom(geom, bounds, extent, buffer, true) gives —
-- and the two values the layer's raster style picks its symbols by: `class` (a kind of feature)
-- and `value` (a number a colour ramp or class table reads). The generic renderer
-- (GeoRisk.Tiles.Rendering.RasterRenderer) draws a PNG tile and the cut-out from the same rows.
-- filter, scope and k are those of tile_<layer> (0800_tile_layers.sql), and the renderer adds
-- pixel_m: metres per pixel of a 256 px tile (of the cut-out's image), for layers that
-- aggregate per pixel. `buffer` (extent units) keeps what lies just outside: strokes are not cut
-- at the edge, a kernel sees its neighbours.
--
-- Each is one SELECT in LANGUAGE sql, STABLE, not STRICT: the planner inlines it into the
-- renderer's query (SELECT ... FROM tile_<layer>_raster(...)), so it is planned with the values of
-- the call, as a query sent by the client is. (The vector functions return one bytea and cannot
-- be inlined: they use EXECUTE ... USING for the same reason.) The header of each is one line:
-- the signature is the contract, the body is the layer.

-- Areas: the choropleth (value: latest score, class 'flagged' for a candidate handhavingsknelpunt),
-- large areas first so that small ones inside them stay visible on top.
CREATE OR REPLACE FUNCTION tile_areas_raster(bounds geometry, extent int, buffer int, filter jsonb, scope text[], k int) RETURNS TABLE (geom bytea, class text, value float8) LANGUAGE sql STABLE PARALLEL SAFE AS $fn$
    SELECT ST_AsBinary(ST_AsMVTGeom(a.geom_3857, bounds::box2d, extent, buffer, true)),
           CASE WHEN score_kandidaat(l.kandidaat, l.flags) THEN 'flagged' ELSE 'area' END,
           l.score::float8
    FROM area a
    CROSS JOIN (SELECT scope_reach(scope) AS geom OFFSET 0) sc -- once, not per area
    LEFT JOIN LATERAL latest_score(a.id, filter ->> 'profile', (filter ->> 'to_date')::date) l ON true
    WHERE a.valid_to IS NULL AND a.geom_3857 && bounds
      AND area_in_reach(a.geom, sc.geom) -- within the reach (0100_reach.sql)
    ORDER BY a.area_km2 DESC
$fn$;

-- Signals: the heatmap's weighted points (value: sum of reliability), summed per cell of a grid
-- of half a pixel anchored at the world origin, over the bounds widened by the buffer (the
-- kernel radius). Every tile of a zoom sees the very same cells, so the heatmap has no seams.
-- The points are cell centres, not snapped to the extent's grid. Suppressed callers: cells of
-- fewer than k signals are left out.
CREATE OR REPLACE FUNCTION tile_signals_raster(bounds geometry, extent int, buffer int, filter jsonb, scope text[], k int) RETURNS TABLE (geom bytea, class text, value float8) LANGUAGE sql STABLE PARALLEL SAFE AS $fn$
    WITH b AS (
        SELECT ST_XMin(bounds) AS x0, ST_YMax(bounds) AS y1, ST_XMax(bounds) - ST_XMin(bounds) AS w, ST_YMax(bounds) - ST_YMin(bounds) AS h,
               ST_Expand(bounds, (ST_XMax(bounds) - ST_XMin(bounds)) * buffer / extent) AS env, (filter ->> 'pixel_m')::float8 / 2 AS cell
    ), scope AS MATERIALIZED (
        SELECT scope_reach(scope) AS geom
    ), cells AS (
        SELECT floor((ST_X(s.geom_3857) + 20037508.342789244) / b.cell) AS gx,
               floor((20037508.342789244 - ST_Y(s.geom_3857)) / b.cell) AS gy,
               sum(s.reliability)::float8 AS weight
        FROM signal s, b, scope sc
        WHERE s.geom_3857 && b.env
          AND (tile_filter_categories(filter) IS NULL OR s.category = ANY (tile_filter_categories(filter)))
          AND (filter ->> 'from' IS NULL OR s.observed_at >= (filter ->> 'from')::timestamptz)
          AND (filter ->> 'to' IS NULL OR s.observed_at < (filter ->> 'to')::timestamptz)
          AND in_reach(s.geom, sc.geom)
        GROUP BY 1, 2
        HAVING k IS NULL OR count(*) >= k
    )
    SELECT ST_AsBinary(ST_MakePoint(((c.gx + 0.5) * b.cell - 20037508.342789244 - b.x0) / b.w * extent,
                                    (b.y1 - (20037508.342789244 - (c.gy + 0.5) * b.cell)) / b.h * extent)),
           NULL::text, c.weight
    FROM cells c, b
$fn$;

-- Hexagons by Gi* class (value), at the size and against the reference statistics the layer
-- put in the filter, as tile_hexbins.
CREATE OR REPLACE FUNCTION tile_hexbins_raster(bounds geometry, extent int, buffer int, filter jsonb, scope text[], k int) RETURNS TABLE (geom bytea, class text, value float8) LANGUAGE sql STABLE PARALLEL SAFE AS $fn$
    SELECT ST_AsBinary(ST_AsMVTGeom(c.geom_3857, bounds::box2d, extent, buffer, true)), NULL::text, c.gi_class::float8
    FROM hexbin_cells(bounds, (filter ->> 'size_m')::int, tile_filter_categories(filter),
                      date_trunc('month', (filter ->> 'from_date')::date)::date, date_trunc('month', (filter ->> 'to_date')::date)::date,
                      scope, k, (filter ->> 'mean')::float8, (filter ->> 'sd')::float8, (filter ->> 'n_cells')::bigint) c
    -- A suppressed caller's PNG leaves out the cells its vector tile leaves out (published count withheld).
    WHERE k IS NULL OR publish_count(c.n, c.key_sum, k) IS NOT NULL
$fn$;

-- Cameras: what each camera sees (class 'viewshed', clipped by obstacles) and its position
-- (class 'camera'); a camera just outside still draws its sector. scope: the programmes the
-- caller sees (NULL all, empty none).
CREATE OR REPLACE FUNCTION tile_cameras_raster(bounds geometry, extent int, buffer int, filter jsonb, scope text[], k int) RETURNS TABLE (geom bytea, class text, value float8) LANGUAGE sql STABLE PARALLEL SAFE AS $fn$
    WITH picked AS (
        SELECT c.view_geom, c.geom_3857 FROM camera c
        WHERE c.viewshed_3857 && ST_Expand(bounds, ST_XMax(bounds) - ST_XMin(bounds))
          AND (scope IS NULL OR c.programme = ANY (scope))
    )
    SELECT ST_AsBinary(ST_AsMVTGeom(ST_Transform(p.view_geom, 3857), bounds::box2d, extent, buffer, true)), 'viewshed', NULL::float8 FROM picked p
    UNION ALL
    SELECT ST_AsBinary(ST_AsMVTGeom(p.geom_3857, bounds::box2d, extent, buffer, true)), 'camera', NULL FROM picked p
$fn$;

-- Incidents: points and polygons of the overlay datasets whose layer is 'incidents', in the
-- filter's period; scope: the programmes the caller sees (NULL all, empty none).
CREATE OR REPLACE FUNCTION tile_incidents_raster(bounds geometry, extent int, buffer int, filter jsonb, scope text[], k int) RETURNS TABLE (geom bytea, class text, value float8) LANGUAGE sql STABLE PARALLEL SAFE AS $fn$
    SELECT ST_AsBinary(ST_AsMVTGeom(f.geom_3857, bounds::box2d, extent, buffer, true)), NULL::text, NULL::float8
    FROM overlay_feature f
    JOIN overlay_dataset d ON d.id = f.dataset_id AND d.layer = 'incidents'
    WHERE f.geom_3857 && ST_Expand(bounds, (ST_XMax(bounds) - ST_XMin(bounds)) / 16)
      AND (filter ->> 'from' IS NULL OR f.observed_at >= (filter ->> 'from')::timestamptz)
      AND (filter ->> 'to' IS NULL OR f.observed_at < (filter ->> 'to')::timestamptz)
      AND (scope IS NULL OR d.programme = ANY (scope))
$fn$;

-- Camera coverage: the features of tile_coverage (coverage_features in 1310_tile_coverage.sql),
-- class 'signal' or 'incident', value 1 when covered and 0 when not.
CREATE OR REPLACE FUNCTION tile_coverage_raster(bounds geometry, extent int, buffer int, filter jsonb, scope text[], k int) RETURNS TABLE (geom bytea, class text, value float8) LANGUAGE sql STABLE PARALLEL SAFE AS $fn$
    SELECT ST_AsBinary(ST_AsMVTGeom(f.geom_3857, bounds::box2d, extent, buffer, true)), f.what, CASE WHEN f.covered THEN 1 ELSE 0 END::float8
    FROM coverage_features(bounds, filter, scope, k) f
$fn$;

-- Hot spots of the filter's area: the cells of tile_hotspots (hotspot_cells in
-- 1120_area_hotspots.sql) by Gi* class (value).
CREATE OR REPLACE FUNCTION tile_hotspots_raster(bounds geometry, extent int, buffer int, filter jsonb, scope text[], k int) RETURNS TABLE (geom bytea, class text, value float8) LANGUAGE sql STABLE PARALLEL SAFE AS $fn$
    SELECT ST_AsBinary(ST_AsMVTGeom(c.geom_3857, bounds::box2d, extent, buffer, true)), NULL::text, c.bin::float8
    FROM hotspot_cells(bounds, filter, scope) c
$fn$;
