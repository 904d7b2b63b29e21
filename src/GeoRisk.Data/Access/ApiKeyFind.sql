-- One row per request (ApiKeyAuthenticationHandler): the stored hash, whether the key is
-- revoked, its role and casustafels, and the suppression k of the default scoring profile.
-- Read on every request on purpose: a revocation or a change of casustafels applies at once.
SELECT k.id,
       k.role,
       k.hash,
       k.salt,
       k.iterations,
       k.revoked_at IS NOT NULL AS revoked,
       coalesce(array_agg(c.casustafel_id ORDER BY c.casustafel_id)
                FILTER (WHERE c.casustafel_id IS NOT NULL), '{}') AS casustafels,
       access_suppression_k() AS suppression_k
FROM api_key k
LEFT JOIN api_key_casustafel c ON c.key_id = k.id
WHERE k.id = @id
GROUP BY k.id
