-- The signals of a casustafel's areas (or one of them) in a period, with the factors the
-- ranking needs; the ranking itself is GeoRisk.Core.Signaallijst.SignalRanking.
-- $1 casustafel id, $2 caller scope text[] (NULL = unrestricted), $3 area code or NULL,
-- $4 categories text[] or NULL, $5 from, $6 to (exclusive), $7 corroboration radius (m),
-- $8 corroboration days.
WITH ct_area AS (
    -- current boundaries of the casustafel's areas
    SELECT a.code, a.name, a.geom
    FROM casustafel_area ca
    JOIN area a ON a.code = ca.area_code AND a.valid_to IS NULL
    WHERE ca.casustafel_id = $1
      AND ($3::text IS NULL OR a.code = $3)
), reach AS (
    -- what the caller may see of it: the casustafel's areas cut by the caller's scope
    SELECT CASE WHEN $2::text[] IS NULL THEN u.geom ELSE ST_Intersection(u.geom, scope_geom($2::text[])) END AS geom
    FROM (SELECT ST_Union(geom) AS geom FROM ct_area) u
), candidate AS (
    SELECT s.id, s.source, s.category, s.observed_at, s.reliability, s.precision, s.followup_status, s.geom
    FROM signal s, reach r
    WHERE ST_Intersects(s.geom, r.geom)
      AND ($4::text[] IS NULL OR s.category = ANY ($4::text[]))
      AND s.observed_at >= $5 AND s.observed_at < $6
)
SELECT c.id, c.category, c.source, c.observed_at, c.reliability, c.precision, c.followup_status,
       -- corroboration: distinct OTHER partners with a signal nearby in space and time, counted
       -- only inside the caller's reach so that the number reveals nothing beyond it
       (SELECT count(DISTINCT o.source)::int
        FROM signal o, reach r
        WHERE ST_DWithin(o.geom, c.geom, $7)
          AND o.source <> c.source
          AND o.observed_at BETWEEN c.observed_at - make_interval(days => $8) AND c.observed_at + make_interval(days => $8)
          AND ST_Intersects(o.geom, r.geom)) AS corroborating_partners,
       ST_X(p.geom) AS x, ST_Y(p.geom) AS y,
       ST_X(ST_Transform(p.geom, 4326)) AS lon, ST_Y(ST_Transform(p.geom, 4326)) AS lat,
       (SELECT a.code FROM ct_area a WHERE ST_Intersects(a.geom, c.geom) ORDER BY ST_Area(a.geom) LIMIT 1) AS area_code,
       (SELECT a.name FROM ct_area a WHERE ST_Intersects(a.geom, c.geom) ORDER BY ST_Area(a.geom) LIMIT 1) AS area_name
FROM candidate c
CROSS JOIN LATERAL (SELECT location_at_precision(c.geom, c.precision) AS geom) p
