-- Source of the OGC API collection 'signal-cells': the hexagon cells of every kept size with
-- their signal count and weight (sql/0400, kept current by triggers in hex_total).
-- $1 caller scope: only cells wholly inside the reach (a cell straddling its border would count
-- signals of another area); $2 suppression k (NULL: none): counts as publish_count gives them
-- (with the key sums hex_total keeps), cells it withholds dropped, weights left out; $3 unused.
SELECT c.size_m || '-' || c.q || '-' || c.r AS id, c.geom,
       c.size_m, c.q, c.r,
       CASE WHEN $2::int IS NULL THEN t.n::bigint ELSE publish_count(t.n, t.key_sum, $2::int) END AS n,
       CASE WHEN $2::int IS NULL THEN round(t.weight::numeric, 2)::float8 END AS weight
FROM hex_total t
JOIN hex_cell c ON c.size_m = t.size_m AND c.q = t.q AND c.r = t.r
WHERE ($2::int IS NULL OR publish_count(t.n, t.key_sum, $2::int) IS NOT NULL)
  AND ($1::text[] IS NULL OR ST_CoveredBy(c.geom, (SELECT scope_geom($1::text[]))))
