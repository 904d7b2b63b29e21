-- Recomputes a stored scan from its frozen inputs and compares sub-area by sub-area:
-- identical = same counts, rank, kandidaat flag, hot-spot cells and no-data flag, relative
-- risks within 1e-9 (relative). Returns code and identical (NULL = no longer computed).
WITH s AS (
    SELECT * FROM scan WHERE id = $1
), fresh AS (
    SELECT c.*
    FROM s CROSS JOIN LATERAL scan_compute(
        s.parent_area_id, ARRAY(SELECT sa.area_id FROM scan_area sa WHERE sa.scan_id = s.id), s.region_area_ids,
        (s.window_from::timestamp AT TIME ZONE 'Europe/Amsterdam'), ((s.window_to + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam'),
        s.cutoff, s.profile_name, s.profile_version, s.hotspot_cell_m) c
)
SELECT sa.code,
       CASE WHEN f.code IS NULL THEN NULL ELSE
           sa.signal_count = f.signal_count AND sa.source_count = f.source_count AND sa.counts = f.counts
           AND sa.rank = f.rank AND sa.kandidaat = f.kandidaat AND sa.hotspot_cells = f.hotspot_cells
           AND sa.no_data = f.no_data
           AND coalesce(abs(sa.rr_parent - f.rr_parent) <= 1e-9 * greatest(1, abs(f.rr_parent)), sa.rr_parent IS NULL AND f.rr_parent IS NULL)
           AND coalesce(abs(sa.rr_region - f.rr_region) <= 1e-9 * greatest(1, abs(f.rr_region)), sa.rr_region IS NULL AND f.rr_region IS NULL)
       END AS identical
FROM scan_area sa
LEFT JOIN fresh f ON f.code = sa.code
WHERE sa.scan_id = $1
ORDER BY sa.code
