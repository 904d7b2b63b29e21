SELECT row_no, code, error, repaired, invalid_reason
FROM area_stage
WHERE error IS NOT NULL OR repaired
ORDER BY row_no
