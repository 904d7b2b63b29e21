-- signal_area carries the signal's position too (RD New, the signal point's own coordinates as
-- float8: ST_X and ST_Y of signal.geom, so a hexagon binned from them is the cell hex_q/hex_r give
-- for the point), kept equal to the signal row by the triggers of sql/functions/1110_signal_area.sql.
-- The Gi* hot spots of an area and the wijkscan's hot-spot binning then read one range of the
-- (area, time) index and never the signal heap: reading the positions from signal was about half
-- of both.
-- The (area, time) index is rebuilt after the back-fill (cheaper than keeping it current row by
-- row) with every column those two read, so both are index-only scans: the pairs of one area lie
-- together in the index, in the heap they are scattered over the whole table (one page per pair).
DROP INDEX signal_area_area_time_idx;

ALTER TABLE signal_area
    ADD COLUMN x float8,
    ADD COLUMN y float8;

UPDATE signal_area sa
SET x = ST_X(s.geom), y = ST_Y(s.geom)
FROM signal s
WHERE s.id = sa.signal_id;

ALTER TABLE signal_area
    ALTER COLUMN x SET NOT NULL,
    ALTER COLUMN y SET NOT NULL;

CREATE INDEX signal_area_area_time_idx ON signal_area (area_id, observed_at)
    INCLUDE (category, source, imported_at, record_key, x, y);

ANALYZE signal_area;
