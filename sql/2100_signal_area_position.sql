-- signal_area carries the signal's position too (RD New, the signal point's own coordinates as
-- float8: ST_X and ST_Y of signal.geom, so a hexagon binned from them is the cell hex_q/hex_r give
-- for the point), kept equal to the signal row by the triggers of sql/functions/1110_signal_area.sql.
-- The Gi* hot spots of an area and the wijkscan's hot-spot binning then read one range of the
-- (area, time) index and never the signal heap: reading the positions from signal was about half
-- of both. That index holds every column those two read, so both are index-only scans: the
-- pairs of one area lie together in the index, in the heap they are scattered (a page per pair).
--
-- The pairs are written anew rather than updated in place: an UPDATE that does not touch an
-- indexed column leaves HOT chains, and an index built over them is not used by any transaction
-- older than it (pg_index.indcheckxmin) — with one long transaction elsewhere in the cluster,
-- for as long as it runs. Written anew, in (area, time) order, the heap also holds each area's
-- pairs together, and has no dead rows.
CREATE TEMPORARY TABLE signal_area_positioned ON COMMIT DROP AS
SELECT sa.area_id, sa.signal_id, sa.observed_at, sa.imported_at, sa.category, sa.source, sa.reliability, sa.record_key,
       ST_X(s.geom) AS x, ST_Y(s.geom) AS y
FROM signal_area sa
JOIN signal s ON s.id = sa.signal_id;

DROP INDEX IF EXISTS signal_area_area_time_idx;
TRUNCATE signal_area;
ALTER TABLE signal_area
    ADD COLUMN x float8 NOT NULL,
    ADD COLUMN y float8 NOT NULL;

INSERT INTO signal_area (area_id, signal_id, observed_at, imported_at, category, source, reliability, record_key, x, y)
SELECT p.area_id, p.signal_id, p.observed_at, p.imported_at, p.category, p.source, p.reliability, p.record_key, p.x, p.y
FROM signal_area_positioned p
ORDER BY p.area_id, p.observed_at;

CREATE INDEX signal_area_area_time_idx ON signal_area (area_id, observed_at)
    INCLUDE (category, source, imported_at, record_key, x, y);

ANALYZE signal_area;
