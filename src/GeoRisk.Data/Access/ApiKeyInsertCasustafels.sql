INSERT INTO api_key_casustafel (key_id, casustafel_id)
SELECT @id, c FROM unnest(@casustafels::text[]) AS c
