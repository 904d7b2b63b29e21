-- Source of the OGC API collection 'scan-comparisons': every stored scan compared with the
-- nulmeting of its parent and level (table scan_comparison), one feature per compared unit
-- (a sub-area, or a split/merged group on its union). Only pairs whose baseline is the nulmeting
-- now. Scope as the wijkscan endpoints: the parent area must lie within the caller's scope.
-- Suppressed callers (viewers) get what GET /api/scans/{name}/comparison gives them: counts through
-- publish_count with their key sums, relative risks and their ratio of the published counts (the
-- exact ones scaled by published / exact: the exact ratio would tell apart the exact counts one
-- published count stands for) to one decimal (rounded half to even, as .NET's Math.Round), none
-- where a count behind them is withheld; the class, but no p or q (computed from the exact
-- counts, they would give the withheld ones away). $1 caller scope, $2 suppression k (NULL: none),
-- $3 unused.
SELECT l.name || '.' || b.name || '.' || c.code AS id, c.geom,
       l.name AS scan, b.name AS baseline, l.parent_code, l.level, l.window_to, b.window_to AS baseline_window_to,
       c.code, array_to_string(c.later_codes, ',') AS codes, array_to_string(c.baseline_codes, ',') AS baseline_codes,
       c.name, c.boundary, c.class,
       pc.baseline_signals, pc.later_signals,
       CASE WHEN $2::int IS NULL THEN c.baseline_rr
            WHEN pc.baseline_signals IS NOT NULL AND c.baseline_count > 0
            THEN round(c.baseline_rr * pc.baseline_signals / c.baseline_count * 10) / 10 END AS baseline_rr,
       CASE WHEN $2::int IS NULL THEN c.later_rr
            WHEN pc.later_signals IS NOT NULL AND c.later_count > 0
            THEN round(c.later_rr * pc.later_signals / c.later_count * 10) / 10 END AS later_rr,
       CASE WHEN $2::int IS NULL THEN c.rr_ratio
            WHEN pc.baseline_signals > 0 AND pc.later_signals IS NOT NULL AND c.later_count > 0 AND c.baseline_count > 0
            THEN round(c.rr_ratio * pc.later_signals / c.later_count * c.baseline_count / pc.baseline_signals * 10) / 10 END AS rr_ratio,
       CASE WHEN $2::int IS NULL THEN c.p END AS p, CASE WHEN $2::int IS NULL THEN c.p_adjusted END AS p_adjusted
FROM scan_comparison c
JOIN scan l ON l.id = c.later_scan_id
JOIN scan b ON b.id = c.baseline_scan_id AND b.is_baseline
JOIN area p ON p.id = l.parent_area_id
CROSS JOIN LATERAL (
    SELECT publish_count(c.baseline_count, c.baseline_key_sum, $2::int) AS baseline_signals,
           publish_count(c.later_count, c.later_key_sum, $2::int) AS later_signals
) pc
WHERE $1::text[] IS NULL OR ST_CoveredBy(p.geom, ST_Buffer(scope_geom($1::text[]), 1))
