-- Merge the staged rows into signal: new (source, external_id) pairs are inserted, changed ones
-- updated, identical ones left alone (no new row version, updated_at kept) and counted as
-- unchanged by the caller (staged − inserted − updated). RD input is used as is; WGS84 input is
-- transformed by PostGIS (PROJ), which lands within a metre of the RD position.
-- $1: collect the changed points for listeners (EPSG:3857).
WITH incoming AS (
    SELECT s.source, s.external_id, s.category, s.observed_at, s.reliability, s.precision,
           CASE s.srid WHEN 28992 THEN ST_SetSRID(ST_MakePoint(s.x, s.y), 28992)
                ELSE ST_Transform(ST_SetSRID(ST_MakePoint(s.x, s.y), s.srid), 28992) END AS geom,
           s.object_ref, s.remark
    FROM signal_stage s
),
written AS (
    INSERT INTO signal AS t (source, external_id, category, observed_at, reliability, precision, geom, object_ref, remark)
    SELECT source, external_id, category, observed_at, reliability, precision, geom, object_ref, remark
    FROM incoming
    ON CONFLICT (source, external_id) DO UPDATE
    SET category    = excluded.category,
        observed_at = excluded.observed_at,
        reliability = excluded.reliability,
        precision   = excluded.precision,
        geom        = excluded.geom,
        object_ref  = excluded.object_ref,
        remark      = excluded.remark,
        updated_at  = now()
    WHERE (t.category, t.observed_at, t.reliability, t.precision, t.object_ref, t.remark, ST_X(t.geom), ST_Y(t.geom))
          IS DISTINCT FROM (excluded.category, excluded.observed_at, excluded.reliability, excluded.precision,
                            excluded.object_ref, excluded.remark, ST_X(excluded.geom), ST_Y(excluded.geom))
    -- xmax = 0: the row version was created by an insert, not by the update branch.
    RETURNING (t.xmax = 0) AS inserted, t.geom_3857
)
SELECT count(*) FILTER (WHERE inserted)     AS inserted,
       count(*) FILTER (WHERE NOT inserted) AS updated,
       ST_XMin(ST_Extent(geom_3857)) AS min_x, ST_YMin(ST_Extent(geom_3857)) AS min_y,
       ST_XMax(ST_Extent(geom_3857)) AS max_x, ST_YMax(ST_Extent(geom_3857)) AS max_y,
       array_agg(ST_X(geom_3857)) FILTER (WHERE $1) AS xs,
       array_agg(ST_Y(geom_3857)) FILTER (WHERE $1) AS ys
FROM written
