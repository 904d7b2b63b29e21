-- Hexbin refresh by key. hex_refresh_signals works from the signals' current
-- rows, so it cannot see where a deleted or changed signal USED to count. hex_refresh_keys
-- recomputes given (size, q, r, category, month) keys; collect the old keys with
-- hex_signal_keys(ids) before a DELETE or UPDATE, then refresh them (plus the new ones) after it:
--   CREATE TEMP TABLE old_keys AS SELECT * FROM hex_signal_keys($ids);
--   DELETE FROM signal WHERE id = ANY ($ids);
--   SELECT hex_refresh_keys(array_agg(size_m), array_agg(q), array_agg(r), array_agg(category), array_agg(month)) FROM old_keys;
-- This costs the signals of the touched categories and months, where hex_refresh_points (whole
-- cells, every month) costs every signal in the touched cells.
--
-- Also from the benchmark (scripts/bench-scoring.sh, 1M signals): with tens of thousands of keys
-- the planner hash-joined them against all of hex_count (a 3.5M-row scan) and checked a foreign
-- key per inserted row. Keys now reach hex_count and signal through LATERAL lookups that cannot
-- be flattened (OFFSET 0), i.e. one primary-key probe each; the category foreign key goes (a
-- hex_count category always comes from a signal, which has that key already).
-- The functions named here are defined in sql/functions/0300_hexbins.sql.

ALTER TABLE hex_count DROP CONSTRAINT hex_count_category_fkey;
ANALYZE hex_size;
