-- The areas the relative-risk model scores: every area valid on the reference date, with its
-- exposure (or km² where it has none). Their observations come from Scores.observations.sql.
-- $1 reference date.
SELECT a.id, a.code, a.name, a.kind,
       coalesce(a.exposure, a.area_km2) AS exposure,
       coalesce(a.exposure_unit, 'km2') AS unit
FROM area a
WHERE a.valid_from <= $1::date AND (a.valid_to IS NULL OR a.valid_to > $1::date)
ORDER BY a.code;
