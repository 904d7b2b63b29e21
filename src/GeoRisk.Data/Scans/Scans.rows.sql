-- The sub-areas of one stored scan, best rank first. Then the three key sums kept beside the
-- counts (for publish_count; never served) and the observed quantity of model rr-score-3.
SELECT sa.code, sa.name, sa.area_id, sa.denominator, sa.denominator_unit, sa.signal_count, sa.source_count,
       sa.counts::text, sa.expected_parent, sa.rr_parent, sa.rr_parent_low, sa.rr_parent_high,
       sa.expected_region, sa.rr_region, sa.rr_region_low, sa.rr_region_high,
       sa.rank, sa.kandidaat, sa.hotspot_cells, sa.no_data,
       sa.key_sum, sa.source_key_sum, sa.category_key_sums::text,
       sa.observed, sa.observed_expected_parent, sa.observed_expected_region
FROM scan_area sa
WHERE sa.scan_id = $1
ORDER BY sa.rank
