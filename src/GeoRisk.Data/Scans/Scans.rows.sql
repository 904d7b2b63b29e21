-- The sub-areas of one stored scan, best rank first.
SELECT sa.code, sa.name, sa.area_id, sa.denominator, sa.denominator_unit, sa.signal_count, sa.source_count,
       sa.counts::text, sa.expected_parent, sa.rr_parent, sa.rr_parent_low, sa.rr_parent_high,
       sa.expected_region, sa.rr_region, sa.rr_region_low, sa.rr_region_high,
       sa.rank, sa.kandidaat, sa.hotspot_cells, sa.no_data
FROM scan_area sa
WHERE sa.scan_id = $1
ORDER BY sa.rank
