-- Where the signals that this import will change are now (EPSG:3857): a moved signal leaves a
-- stale spot in tiles and hexbins. Only run when someone listens for changes.
WITH incoming AS (
    SELECT s.*,
           CASE s.srid WHEN 28992 THEN ST_SetSRID(ST_MakePoint(s.x, s.y), 28992)
                ELSE ST_Transform(ST_SetSRID(ST_MakePoint(s.x, s.y), s.srid), 28992) END AS geom
    FROM signal_stage s
)
SELECT coalesce(array_agg(ST_X(t.geom_3857)), '{}'), coalesce(array_agg(ST_Y(t.geom_3857)), '{}')
FROM signal t
JOIN incoming i ON i.source = t.source AND i.external_id = t.external_id
WHERE (t.category, t.observed_at, t.reliability, t.precision, t.object_ref, t.remark, ST_X(t.geom), ST_Y(t.geom))
      IS DISTINCT FROM (i.category, i.observed_at, i.reliability, i.precision, i.object_ref, i.remark, ST_X(i.geom), ST_Y(i.geom))
