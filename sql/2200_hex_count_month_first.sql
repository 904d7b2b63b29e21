-- hex_count's primary key leads with the month: (month, size_m, q, r, category) instead of
-- (size_m, q, r, category, month). New signals fall in one or two recent months; ordered by cell
-- first, the keys a refresh probes and inserts were spread over the whole index (310 MB at 1M
-- signals, larger than the buffer cache), one page read and one dirtied page per key. Month
-- first, they share the few thousand leaf pages of their months.
-- Readers that take a cell range over all months (filtered hexbin tiles and rasters, their
-- statistics, refreshes of whole cells) walk the stored months one by one (hex_count_months,
-- sql/functions/0300_hexbins.sql): a few dozen index ranges instead of one, no second index to
-- keep up on every insert. hex_count_month_idx (size_m, month) stays for the per-size reads.
ALTER TABLE hex_count DROP CONSTRAINT hex_count_pkey;
ALTER TABLE hex_count ADD CONSTRAINT hex_count_pkey PRIMARY KEY (month, size_m, q, r, category);
