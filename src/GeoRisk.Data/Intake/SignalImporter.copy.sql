COPY signal_stage (row_no, source, external_id, category, observed_at, reliability, precision, x, y, srid, object_ref, remark)
FROM STDIN (FORMAT BINARY)
