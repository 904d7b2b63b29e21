-- Codes that are not in the reference tables, one scan over the staged rows: the rows are
-- reported (row number, field, reason) and, in partial mode, removed from the stage afterwards.
SELECT s.row_no,
       c.code IS NULL AS bad_category,
       p.code IS NULL AS bad_source,
       l.code IS NULL AS bad_precision
FROM signal_stage s
LEFT JOIN category c           ON c.code = s.category
LEFT JOIN source_partner p     ON p.code = s.source
LEFT JOIN location_precision l ON l.code = s.precision
WHERE c.code IS NULL OR p.code IS NULL OR l.code IS NULL
ORDER BY s.row_no
