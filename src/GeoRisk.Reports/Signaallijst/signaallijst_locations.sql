-- Where the listed signals of a signal list are shown: the location as the caller may see it
-- (sql/0700) in RD New and WGS84, and the smallest of the casustafel's areas (or the one asked)
-- holding the signal. Read only for the rows a list returns, after ranking: the candidates of a
-- busy area run into thousands and each of these costs a projection and an area lookup.
-- $1 casustafel id, $2 area code or NULL, $3 signal ids (bigint[]).
WITH ct_area AS (
    SELECT a.code, a.name, a.geom
    FROM casustafel_area ca
    JOIN area a ON a.code = ca.area_code AND a.valid_to IS NULL
    WHERE ca.casustafel_id = $1
      AND ($2::text IS NULL OR a.code = $2)
)
SELECT s.id,
       ST_X(shown.geom) AS x, ST_Y(shown.geom) AS y,
       ST_X(shown.wgs84) AS lon, ST_Y(shown.wgs84) AS lat,
       area.code AS area_code, area.name AS area_name
FROM signal s
CROSS JOIN LATERAL (SELECT location_at_precision(s.geom, s.precision) AS geom) shown0
CROSS JOIN LATERAL (SELECT shown0.geom, ST_Transform(shown0.geom, 4326) AS wgs84) shown
LEFT JOIN LATERAL (
    SELECT a.code, a.name FROM ct_area a
    WHERE ST_Intersects(a.geom, s.geom)
    ORDER BY ST_Area(a.geom) LIMIT 1
) area ON true
WHERE s.id = ANY ($3::bigint[])
