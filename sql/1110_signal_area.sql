-- Which areas each signal lies in (ST_Intersects of the signal's point and the area's boundary,
-- every boundary version, closed ones included: a score for a past date uses the boundary valid
-- then). Kept current at ingest by the triggers of sql/functions/1110_signal_area.sql, so a
-- scoring run joins on ids instead of testing a million points against thousands of polygons.
-- No foreign keys: the triggers remove the pairs of deleted signals and areas per statement,
-- which costs less at a bulk import than a referential check per pair.
CREATE TABLE signal_area (
    area_id   bigint NOT NULL,
    signal_id bigint NOT NULL,
    PRIMARY KEY (area_id, signal_id)
);
CREATE INDEX signal_area_signal_idx ON signal_area (signal_id);

INSERT INTO signal_area (area_id, signal_id)
SELECT a.id, s.id
FROM area a
JOIN signal s ON ST_Intersects(a.geom, s.geom);

ANALYZE signal_area;
