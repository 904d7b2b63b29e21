-- One area's pairs in a period, without visiting the pairs outside it: the hot spots of an area
-- (and any per-area read bounded by time) range-scan this index instead of testing every signal
-- inside the area's outline through the spatial index.
CREATE INDEX signal_area_area_time_idx ON signal_area (area_id, observed_at) INCLUDE (signal_id, category, record_key);
