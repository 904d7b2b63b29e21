-- Candidate control areas for an intervention: current areas that share no interior with the
-- target or its buffer, of the target area's kind and of the kinds buurt, wijk and
-- bedrijventerrein (a kind of one, such as postcode 1012, has no peers of its own), with their
-- monthly signal counts over the pre-period; only areas within 20 km of the target.
-- $1 intervention id, $2 buffer width in metres (NULL: the buffer is the other mainports),
-- $3 first month (date), $4 end month (exclusive), $5 categories (NULL = all).
WITH target AS (
    SELECT i.geom, (SELECT a.kind FROM area a WHERE a.code = i.area_code AND a.valid_to IS NULL) AS kind
    FROM intervention i WHERE i.id = $1
), excluded AS (
    SELECT CASE WHEN $2::double precision IS NOT NULL THEN ST_Buffer(t.geom, $2::double precision, 8)
                ELSE ST_Union(t.geom, (SELECT ST_Union(a.geom) FROM area a WHERE a.kind = 'mainport' AND a.valid_to IS NULL))
           END AS geom,
           t.kind
    FROM target t
), candidates AS (
    SELECT a.id, a.code, a.name
    FROM area a
    WHERE a.valid_to IS NULL
      -- The kind first (a scalar of the target), so the geometry tests only see areas of those kinds.
      AND a.kind = ANY (ARRAY['buurt', 'wijk', 'bedrijventerrein', nullif((SELECT kind FROM target), 'mainport')])
      -- Boxes apart, interiors apart: the exact test only for areas near the target.
      AND NOT (a.geom && (SELECT geom FROM excluded) AND ST_Relate(a.geom, (SELECT geom FROM excluded), 'T********'))
      -- Comparable surroundings, and a bounded search: within 20 km of the target.
      AND ST_DWithin(a.geom, (SELECT geom FROM target), 20000)
), months AS (
    SELECT generate_series($3::date, ($4::date - interval '1 month')::date, interval '1 month')::date AS month
), counts AS (
    -- The signals in each candidate from the signal-area pairs (ST_Intersects, kept by triggers)
    -- with their copied time and category: no point-in-polygon test per request.
    SELECT c.code, signal_month(sa.observed_at) AS month, count(*) AS n
    FROM candidates c
    JOIN signal_area sa ON sa.area_id = c.id
    WHERE sa.observed_at >= ($3::date::timestamp AT TIME ZONE 'Europe/Amsterdam')
      AND sa.observed_at < ($4::date::timestamp AT TIME ZONE 'Europe/Amsterdam')
      AND ($5::text[] IS NULL OR sa.category = ANY ($5::text[]))
    GROUP BY c.code, signal_month(sa.observed_at)
)
SELECT c.code, c.name, array_agg(coalesce(n.n, 0) ORDER BY m.month) AS series
FROM candidates c CROSS JOIN months m
LEFT JOIN counts n ON n.code = c.code AND n.month = m.month
GROUP BY c.code, c.name
