-- Dutch and English labels of categories and follow-up statuses, for reports.
SELECT 'category' AS kind, code, label_nl, label_en FROM category
UNION ALL
SELECT 'followup_status', code, label_nl, label_en FROM followup_status
