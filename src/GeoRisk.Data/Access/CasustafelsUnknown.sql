-- Which of the requested casustafel ids do not exist (to name them in the error).
SELECT c FROM unnest(@casustafels::text[]) AS c
WHERE NOT EXISTS (SELECT 1 FROM casustafel t WHERE t.id = c)
ORDER BY c
