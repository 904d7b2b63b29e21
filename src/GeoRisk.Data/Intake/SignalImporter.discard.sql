DELETE FROM signal_stage WHERE row_no = ANY ($1::int[])
