-- Dutch and English labels of categories, follow-up statuses, area kinds and location
-- precisions, for reports.
SELECT 'category' AS kind, code, label_nl, label_en FROM category
UNION ALL
SELECT 'followup_status', code, label_nl, label_en FROM followup_status
UNION ALL
SELECT 'area_kind', code, label_nl, label_en FROM area_kind
UNION ALL
SELECT 'location_precision', code, label_nl, label_en FROM location_precision
