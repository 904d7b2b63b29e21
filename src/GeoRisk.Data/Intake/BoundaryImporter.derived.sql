-- The derived areas as staged: how many parts each has and whether its exposure is known.
SELECT kind, count(*), count(*) FILTER (WHERE exposure IS NOT NULL)
FROM area_stage
WHERE derived
GROUP BY kind
ORDER BY kind
