-- The audit log's key reference is checked once per statement instead of once per row
-- (sql/functions/0605_audit_key_check.sql). The foreign key ran a lookup with a row lock
-- (FOR KEY SHARE) on the key's api_key row for every audit row; every cached tile adds an
-- audit row, all of one map user's rows name the same key, and concurrent audit batches
-- turned that one lock into shared multi-transaction locks: about a third of PostgreSQL's
-- time per audit row. The same rule holds without it: an audit row names an existing key,
-- and a key named by audit rows cannot be deleted, truncated or renamed (0605).
ALTER TABLE audit_log DROP CONSTRAINT IF EXISTS audit_log_key_id_fkey;
