-- A stored score's JSON documents (the whole RiskScore in flags, ~4 kB per area) are compressed
-- when stored; lz4 does that several times faster than the default pglz, which was a large part of
-- writing a full run. Rows already stored keep their compression until rewritten.
ALTER TABLE score ALTER COLUMN flags SET COMPRESSION lz4,
                  ALTER COLUMN components SET COMPRESSION lz4;
