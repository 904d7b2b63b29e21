-- Source of the OGC API collection 'signals' (signal level: only for callers that see signal
-- locations, never for suppressed ones): category, time, reliability, precision and follow-up
-- status, at no finer a location than the partner delivered (location_at_precision; 'area'
-- signals have no point). Never the remark or the object reference.
-- $1 caller scope, $2 and $3 unused.
SELECT s.id, location_at_precision(s.geom, s.precision) AS geom,
       s.source, s.category, s.observed_at,
       round(s.reliability::numeric, 2)::float8 AS reliability,
       s.precision, s.followup_status
FROM signal s
WHERE $1::text[] IS NULL OR ST_Intersects(s.geom, (SELECT scope_geom($1::text[])))
