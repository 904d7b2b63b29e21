-- Rows identical to what is stored leave the stage before the upsert: a partner's re-export of
-- mostly known signals then costs one join instead of a conflicting insert attempt per row.
-- They count as unchanged. RD input compares coordinates directly; WGS84 input after the same
-- transform the upsert applies.
DELETE FROM signal_stage s
USING signal t
WHERE t.source = s.source AND t.external_id = s.external_id
  AND (t.category, t.observed_at, t.reliability, t.precision, t.object_ref, t.remark)
      IS NOT DISTINCT FROM (s.category, s.observed_at, s.reliability, s.precision, s.object_ref, s.remark)
  AND CASE s.srid
        WHEN 28992 THEN ST_X(t.geom) = s.x AND ST_Y(t.geom) = s.y
        ELSE ST_Equals(t.geom, ST_Transform(ST_SetSRID(ST_MakePoint(s.x, s.y), s.srid), 28992))
      END
