-- Idempotent: revoking a revoked key keeps the first revocation time.
UPDATE api_key SET revoked_at = coalesce(revoked_at, now())
WHERE id = @id
RETURNING revoked_at
