-- signal_area carries the signal attributes every per-area count filters and groups by (time,
-- import time, category, source, reliability), so a scoring run or a wijkscan reads the pairs
-- alone instead of joining a million signals to them. The triggers of
-- sql/functions/1110_signal_area.sql keep the copies equal to the signal rows.
ALTER TABLE signal_area
    ADD COLUMN observed_at timestamptz,
    ADD COLUMN imported_at timestamptz,
    ADD COLUMN category    text,
    ADD COLUMN source      text,
    ADD COLUMN reliability real;

UPDATE signal_area sa
SET observed_at = s.observed_at, imported_at = s.imported_at, category = s.category, source = s.source, reliability = s.reliability
FROM signal s
WHERE s.id = sa.signal_id;

ALTER TABLE signal_area
    ALTER COLUMN observed_at SET NOT NULL,
    ALTER COLUMN imported_at SET NOT NULL,
    ALTER COLUMN category    SET NOT NULL,
    ALTER COLUMN source      SET NOT NULL,
    ALTER COLUMN reliability SET NOT NULL;

ANALYZE signal_area;
