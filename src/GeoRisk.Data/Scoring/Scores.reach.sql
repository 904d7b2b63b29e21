-- Codes of the areas valid on a date that a caller may see, for live scores (which the model
-- computes over every area: the reference rate and the prior need them all). The same test as
-- for stored scores (Scores.stored.sql): the area lies within the reach (sql/functions/0100_reach.sql).
-- $1 date, $2 caller scope (NULL = unrestricted).
WITH reach AS MATERIALIZED (
    SELECT scope_reach($2::text[]) AS geom
)
SELECT a.code
FROM area a, reach
WHERE a.valid_from <= $1::date AND (a.valid_to IS NULL OR a.valid_to > $1::date)
  AND area_in_reach(a.geom, reach.geom);
