-- Getis-Ord Gi* hot spots of one area on a hexagon grid, as a GeoJSON FeatureCollection (WGS84).
-- $1 area code, $2 cell size (m, one of hex_size), $3 from (date, inclusive), $4 to (date,
-- exclusive), $5 category (NULL = all), $6 caller scope, $7 rings of the neighbourhood,
-- $8 suppression k (NULL = none: counts below k are withheld; z, p and class stay).
-- Study region: every cell whose centre lies in the area, plus every cell holding one of the
-- area's signals; the value of a cell is the number of the area's signals in it (zeros count).
WITH a AS (
    SELECT a.code, a.geom FROM area a
    WHERE a.code = $1 AND a.valid_to IS NULL
      AND area_in_scope(a.geom, $6) -- within the reach (sql/functions/0100_reach.sql)
), scope AS (
    SELECT scope_reach($6::text[]) AS geom
), xy AS (
    SELECT ST_X(s.geom) AS x, ST_Y(s.geom) AS y
    FROM a CROSS JOIN scope sc
    JOIN signal s ON ST_Intersects(a.geom, s.geom)
    WHERE s.observed_at >= ($3::date::timestamp AT TIME ZONE 'Europe/Amsterdam')
      AND s.observed_at < ($4::date::timestamp AT TIME ZONE 'Europe/Amsterdam')
      AND ($5::text IS NULL OR s.category = $5)
      AND in_reach(s.geom, sc.geom)
    OFFSET 0 -- x, y once per signal, not once per use inside the inlined hex_q/hex_r
), counted AS (
    SELECT hex_q($2, x, y) AS q, hex_r($2, x, y) AS r, count(*)::float8 AS n
    FROM xy GROUP BY 1, 2
), interior AS (
    -- Candidate cells from the bounding box, kept when the centre is inside the area.
    SELECT c.q, c.r
    FROM a
    CROSS JOIN LATERAL generate_series(floor(ST_XMin(a.geom) / (1.5 * $2))::int - 1, ceil(ST_XMax(a.geom) / (1.5 * $2))::int + 1) AS c_q(q)
    CROSS JOIN LATERAL generate_series(floor(ST_YMin(a.geom) / (sqrt(3::float8) * $2) - c_q.q / 2.0)::int - 1,
                                       ceil(ST_YMax(a.geom) / (sqrt(3::float8) * $2) - c_q.q / 2.0)::int + 1) AS c_r(r)
    CROSS JOIN LATERAL (SELECT c_q.q, c_r.r) c
    WHERE ST_Intersects(a.geom, ST_SetSRID(ST_MakePoint(1.5 * $2 * c.q, sqrt(3::float8) * $2 * (c.r + c.q / 2.0)), 28992))
), cell AS (
    SELECT q, r FROM interior UNION SELECT q, r FROM counted
), valued AS (
    SELECT array_agg(c.q ORDER BY c.q, c.r) AS qs, array_agg(c.r ORDER BY c.q, c.r) AS rs,
           array_agg(coalesce(n.n, 0) ORDER BY c.q, c.r) AS xs
    FROM cell c LEFT JOIN counted n ON n.q = c.q AND n.r = c.r
), gi AS (
    SELECT g.* FROM valued v CROSS JOIN LATERAL gi_star(v.qs, v.rs, v.xs, $7) g WHERE v.qs IS NOT NULL
)
SELECT json_build_object(
    'type', 'FeatureCollection',
    'properties', json_build_object('code', a.code, 'cell_size_m', $2, 'from', $3::date, 'to', $4::date,
                                    'category', $5::text, 'rings', $7, 'cells', (SELECT count(*) FROM gi),
                                    'fdr', 'benjamini-hochberg'),
    'features', coalesce((SELECT json_agg(json_build_object(
        'type', 'Feature',
        'id', g.q || ',' || g.r,
        'geometry', ST_AsGeoJSON(ST_Transform(hex_polygon($2, g.q, g.r), 4326), 6)::json,
        'properties', json_build_object(
            'q', g.q, 'r', g.r,
            'count', CASE WHEN $8::int IS NOT NULL AND g.x > 0 AND g.x < $8 THEN NULL ELSE g.x::int END,
            'z', g.z, 'p', g.p, 'p_adjusted', g.p_adjusted, 'gi_bin', g.bin,
            'class', CASE g.bin WHEN 3 THEN 'hot-99' WHEN 2 THEN 'hot-95' WHEN 1 THEN 'hot-90'
                                WHEN -3 THEN 'cold-99' WHEN -2 THEN 'cold-95' WHEN -1 THEN 'cold-90'
                                ELSE 'not-significant' END))
        ORDER BY g.q, g.r) FROM gi g), '[]'::json)
)::text
FROM a;
