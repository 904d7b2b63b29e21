-- A stored scan's rows computed again from its frozen inputs (the counting of scan_compute), in
-- the column order of Scans.rows.sql; models computed in C# apply themselves on top. $1 scan id.
SELECT c.code, c.name, c.area_id, c.denominator, c.denominator_unit, c.signal_count, c.source_count,
       c.counts::text, c.expected_parent, c.rr_parent, c.rr_parent_low, c.rr_parent_high,
       c.expected_region, c.rr_region, c.rr_region_low, c.rr_region_high,
       c.rank, c.kandidaat, c.hotspot_cells, c.no_data
FROM scan s
CROSS JOIN LATERAL scan_compute(
    s.parent_area_id, ARRAY(SELECT sa.area_id FROM scan_area sa WHERE sa.scan_id = s.id), s.region_area_ids,
    (s.window_from::timestamp AT TIME ZONE 'Europe/Amsterdam'), ((s.window_to + 1)::timestamp AT TIME ZONE 'Europe/Amsterdam'),
    s.cutoff, s.profile_name, s.profile_version, s.hotspot_cell_m) c
WHERE s.id = $1
ORDER BY c.code
