-- Tile caches and ETags key on data_version: bump it in the same transaction as the change.
UPDATE data_version SET version = version + 1, changed_at = now() WHERE name = $1 RETURNING version
