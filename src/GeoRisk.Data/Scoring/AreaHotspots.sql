-- Getis-Ord Gi* hot spots of one area on a hexagon grid, as a GeoJSON FeatureCollection (WGS84).
-- $1 area code, $2 cell size (m, one of hex_size), $3 from (date, inclusive), $4 to (date,
-- exclusive), $5 category (NULL = all), $6 caller scope, $7 rings of the neighbourhood,
-- $8 suppression k (NULL = none; else counts are published values as publish_count gives them; z, p and class stay).
-- The statistic is area_hotspot_cells (sql/functions/1120_area_hotspots.sql), the same the
-- hotspots tile layer draws. No row when the area is unknown or outside the caller's reach.
WITH a AS (
    SELECT a.code FROM area a
    WHERE a.code = $1 AND a.valid_to IS NULL
      AND area_in_scope(a.geom, $6) -- within the reach (sql/functions/0100_reach.sql)
), gi AS MATERIALIZED (
    SELECT g.* FROM area_hotspot_cells($1, $2, $3, $4, CASE WHEN $5::text IS NULL THEN NULL ELSE ARRAY[$5::text] END, $7, $6::text[]) g
), cell0 AS MATERIALIZED (
    -- Every cell is the cell at (0, 0) moved to its centre: the same coordinates as
    -- hex_polygon($2, q, r) gives (each vertex is centre + offset, the same float8 operations),
    -- at a fraction of the cost of building ten thousand polygons point by point.
    SELECT hex_polygon($2, 0, 0) AS geom
)
-- The features are put together as text: json_build_object would parse every feature's GeoJSON
-- again (a json value is checked on the way in) and build each object through its generic
-- path. The pieces are the text json_build_object writes (its "key" : value spacing, numbers as
-- float8out/int4out print them, null for NULL), byte for byte: z, p and the count are finite or NULL.
SELECT left(json_build_object(
    'type', 'FeatureCollection',
    'properties', json_build_object('code', a.code, 'cell_size_m', $2, 'from', $3::date, 'to', $4::date,
                                    'category', $5::text, 'rings', $7, 'cells', (SELECT count(*) FROM gi),
                                    'fdr', 'benjamini-hochberg'))::text, -1)
    || ', "features" : [' || coalesce((SELECT string_agg(
        '{"type" : "Feature", "id" : "' || g.q || ',' || g.r || '", "geometry" : '
        || ST_AsGeoJSON(ST_Transform(ST_Translate(c0.geom, 1.5::float8 * $2::float8 * g.q,
                                                  sqrt(3::float8) * $2::float8 * (g.r + g.q / 2::float8)), 4326), 6)
        || ', "properties" : {"q" : ' || g.q || ', "r" : ' || g.r
        -- Suppressed callers get the published count (cell-key noise, rounded to fives, NULL below k, zeros too).
        || ', "count" : ' || coalesce((CASE WHEN $8::int IS NOT NULL THEN publish_count(g.x::bigint, g.key_sum, $8) ELSE g.x::int END)::text, 'null')
        || ', "z" : ' || coalesce(g.z::text, 'null') || ', "p" : ' || coalesce(g.p::text, 'null')
        || ', "p_adjusted" : ' || coalesce(g.p_adjusted::text, 'null') || ', "gi_bin" : ' || coalesce(g.bin::text, 'null')
        || ', "class" : "' || CASE g.bin WHEN 3 THEN 'hot-99' WHEN 2 THEN 'hot-95' WHEN 1 THEN 'hot-90'
                                         WHEN -3 THEN 'cold-99' WHEN -2 THEN 'cold-95' WHEN -1 THEN 'cold-90'
                                         ELSE 'not-significant' END || '"}}',
        ', ' ORDER BY g.q, g.r) FROM gi g CROSS JOIN cell0 c0), '') || ']}'
FROM a;
