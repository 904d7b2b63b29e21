-- Stores the comparison of scan $1 (later) with scan $2 (its nulmeting): $3 the compared units as
-- ScanComparison computed them (jsonb array). Each unit's geometry is the union of its frozen
-- sub-areas: the later scan's, or the baseline's for a unit that is gone. A pair stored already
-- (two writers at once) is left as it is: both computed the same rows.
INSERT INTO scan_comparison (later_scan_id, baseline_scan_id, code, baseline_codes, later_codes, name, boundary, class,
                             baseline_count, baseline_expected, later_count, later_expected,
                             baseline_rr, later_rr, rr_ratio, p, p_adjusted, baseline_key_sum, later_key_sum, geom)
SELECT $1, $2, u.code,
       ARRAY(SELECT jsonb_array_elements_text(u.baseline_codes)), ARRAY(SELECT jsonb_array_elements_text(u.later_codes)),
       u.name, u.boundary, u.class,
       u.baseline_count, u.baseline_expected, u.later_count, u.later_expected,
       u.baseline_rr, u.later_rr, u.rr_ratio, u.p, u.p_adjusted, u.baseline_key_sum, u.later_key_sum,
       (SELECT ST_Union(a.geom)
        FROM scan_area sa JOIN area a ON a.id = sa.area_id
        WHERE CASE WHEN jsonb_array_length(u.later_codes) > 0
                   THEN sa.scan_id = $1 AND sa.code IN (SELECT jsonb_array_elements_text(u.later_codes))
                   ELSE sa.scan_id = $2 AND sa.code IN (SELECT jsonb_array_elements_text(u.baseline_codes)) END)
FROM jsonb_to_recordset($3::jsonb) AS u(code text, baseline_codes jsonb, later_codes jsonb, name text, boundary text, class text,
                                        baseline_count bigint, baseline_expected float8, later_count bigint, later_expected float8,
                                        baseline_rr float8, later_rr float8, rr_ratio float8, p float8, p_adjusted float8,
                                        baseline_key_sum bigint, later_key_sum bigint)
ON CONFLICT DO NOTHING
